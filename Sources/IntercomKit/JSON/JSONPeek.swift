/// A look at one string of a JSON document without parsing the rest: the members on the way are found by stepping
/// over the others' text, and no value is built.
///
/// A peek is a guess, not a reading: it does not check the document, and it answers nil for anything it does not
/// read plainly (a path through a non-object, a string with an escape, text it cannot step over). Whatever depends
/// on the answer must be confirmed by a parse.
public enum JSONPeek {
    /// The string at `path` (member names from the top-level object down), when every step is an object member and
    /// the string has no escape; nil otherwise.
    public static func string(at path: [String], in bytes: UnsafeRawBufferPointer) -> String? {
        var reader = Reader(bytes: bytes.bindMemory(to: UInt8.self))
        for name in path {
            guard reader.enterObject(), reader.findMember(named: name) else { return nil }
        }
        return reader.plainString()
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

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
