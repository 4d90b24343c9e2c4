/// A look at one string of a JSON document without parsing the rest: the members on the way are found by stepping
/// over the others' text, and no value is built.
///
/// A peek is a guess, not a reading: it does not check the document, and it answers nil for anything it does not
/// read plainly (a path through a non-object, a string with an escape, text it cannot step over). Whatever depends
/// on the answer must be confirmed by a parse.
///
/// The top-level member is looked for from the end first: APIs write a page's paging after its items, and a member
/// found there is read only when the text after it closes the top-level object (so it is one of its members).
/// Otherwise the members are stepped over from the start.
public enum JSONPeek {
    /// The string at `path` (member names from the top-level object down), when every step is an object member and
    /// the string has no escape; nil otherwise.
    public static func string(at path: [String], in bytes: UnsafeRawBufferPointer) -> String? {
        let bytes = bytes.bindMemory(to: UInt8.self)
        guard let first = path.first else { return nil }
        if let value = lastTopLevelValue(named: first, in: bytes) {
            var reader = Reader(bytes: bytes, index: value)
            return reader.string(at: path.dropFirst())
        }
        var reader = Reader(bytes: bytes)
        guard reader.enterObject(), reader.findMember(named: first) else { return nil }
        return reader.string(at: path.dropFirst())
    }

    /// Where the value of the top-level member `name` starts, when it is the last text of the form `,"name":` or
    /// `{"name":` in `bytes` and the text after its value closes the top-level object; nil otherwise.
    static func lastTopLevelValue(named name: String, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let key = Array("\"\(name)\"".utf8)
        var start = bytes.count - key.count
        while start > 0 {
            if bytes[start] == key[0], bytes[start - 1] == UInt8(ascii: ",") || bytes[start - 1] == UInt8(ascii: "{"),
                key.indices.allSatisfy({ bytes[start + $0] == key[$0] })
            {
                var reader = Reader(bytes: bytes, index: start + key.count)
                guard reader.take(UInt8(ascii: ":")) else { return nil }
                reader.skipWhitespace()
                let value = reader.index
                return reader.skipValue() && reader.closesTopLevelObject() ? value : nil
            }
            start -= 1
        }
        return nil
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        /// The string at `path` from the value at the read position, as ``JSONPeek/string(at:in:)`` reads it.
        mutating func string(at path: ArraySlice<String>) -> String? {
            for name in path {
                guard enterObject(), findMember(named: name) else { return nil }
            }
            return plainString()
        }

        /// Whether the text from the read position, just after a member's value, is the rest of the top-level
        /// object: members (`,"key":value`) and then its `}`, the last text.
        mutating func closesTopLevelObject() -> Bool {
            while take(UInt8(ascii: ",")) {
                guard stringRange() != nil, take(UInt8(ascii: ":")), skipValue() else { return false }
            }
            guard take(UInt8(ascii: "}")) else { return false }
            skipWhitespace()
            return index == bytes.count
        }

        /// Whether the byte at the read position (after whitespace) is `byte`; steps over it when so.
        mutating func take(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        mutating func enterObject() -> Bool { take(UInt8(ascii: "{")) }

        /// Steps to the value of the member `name` of the object just entered; false when it has none.
        mutating func findMember(named name: String) -> Bool {
            if take(UInt8(ascii: "}")) { return false }
            while true {
                guard let key = stringRange(), take(UInt8(ascii: ":")) else { return false }
                if name.utf8.elementsEqual(bytes[key]) { return true }
                guard skipValue() else { return false }
                guard take(UInt8(ascii: ",")) else { return false }
            }
        }

        /// The bytes between the quotes of the string at the read position, which must have no escape.
        mutating func stringRange() -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return start..<(index - 1)
                case UInt8(ascii: "\\"): return nil
                default: index += 1
                }
            }
            return nil
        }

        /// The string at the read position, when it is one with no escape and valid UTF-8.
        mutating func plainString() -> String? {
            guard let range = stringRange() else { return nil }
            return String(strictUTF8: UnsafeBufferPointer(rebasing: bytes[range]))
        }

        /// Steps over the value at the read position; false when its text ends early.
        mutating func skipValue() -> Bool {
            skipWhitespace()
            var depth = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard skipStringBody() else { return false }
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth < 0 { return false }
                default: break
                }
                if depth == 0 && (byte != UInt8(ascii: "{") && byte != UInt8(ascii: "[")) && atValueEnd() { return true }
            }
            return false
        }

        /// Whether the read position ends a scalar or container at the top of ``skipValue()``: the next byte
        /// (after whitespace) is `,`, `}` or `]`.
        mutating func atValueEnd() -> Bool {
            skipWhitespace()
            guard index < bytes.count else { return false }
            let next = bytes[index]
            return next == UInt8(ascii: ",") || next == UInt8(ascii: "}") || next == UInt8(ascii: "]")
        }

        /// Steps over the rest of a string whose opening quote was read, escapes included.
        mutating func skipStringBody() -> Bool {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return true
                case UInt8(ascii: "\\"): index += 2
                default: index += 1
                }
            }
            return false
        }
    }
}
