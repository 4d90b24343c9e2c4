import Foundation

/// A strict JSON parser (RFC 8259) straight from UTF-8 bytes into ``JSONValue``.
///
/// Foundation's `JSONDecoder` handles JSON well but cannot decode an untyped value without trying each type in
/// turn, which made it the bulk of the cost of every NDJSON line. This parser reads each value once, and is strict
/// where input from files nobody checked needs it: a duplicate key, a number too large for a Double, nesting deeper
/// than ``maximumDepth``, invalid UTF-8 or a lone surrogate are errors naming the byte offset, never a guess.
/// Integers stay exact (beyond Int64, as their digits: ``JSONValue/bigInteger(_:)``); other numbers become Doubles.
public struct JSONParser {
    /// Why a document is not accepted.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong.
        public var message: String
        /// The 0-based byte offset where it was found.
        public var offset: Int

        /// The message with its position: `… at byte 17`.
        public var description: String { "\(message) at byte \(offset + 1)" }
    }

    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 512

    /// Parses one JSON document (surrounding whitespace allowed, nothing else after it).
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(Failure) -> JSONValue {
        try parse(bytes, keepingTextOfItemsIn: nil).value
    }

    /// Parses one JSON document as ``parse(_:)`` does, and keeps the text of each item of the array that is the
    /// top-level object's member `key`: the item's bytes when they are the text ``JSONValue/write(to:)`` writes for it
    /// (compact, keys in order, no escape, numbers as written back), else nil. `items` is empty when there is no such
    /// array, or `key` is nil.
    public static func parse<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, keepingTextOfItemsIn key: String?
    ) throws(Failure) -> (value: JSONValue, items: [[UInt8]?]) {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(Failure) -> (JSONValue, [[UInt8]?]) in try parse(buffer: buffer, keepingTextOfItemsIn: key) }
        }
        if let contiguous { return try contiguous.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(Failure) in try parse(buffer: buffer, keepingTextOfItemsIn: key) }
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>, keepingTextOfItemsIn key: String?) throws(Failure) -> (JSONValue, [[UInt8]?]) {
        // Interning repays its table in a long document, inside its arrays, where the items of a list share keys.
        var table: InternTable?
        var parser = Parser(bytes: buffer, interning: buffer.count >= 4_096 ? .insideArrays : .never, table: &table)
        parser.itemsKey = key
        return (try parser.document(), parser.itemTexts)
    }

    /// Keys and object shapes a parser has read, to make them again cheaply (``Parser/interned(_:)``,
    /// ``Parser/copyOfShape(first:)``).
    struct InternTable {
        static let keySlots = 256
        static let shapeSlots = 64

        /// ASCII keys, by a hash of their bytes.
        var keys = [String?](repeating: nil, count: keySlots)
        /// The last object of each shape (its keys, in order), by a hash of its size and first key. An object with
        /// the keys of one made before is made as a copy of it with the values replaced, which hashes no key.
        var shapes = [ObjectShape?](repeating: nil, count: shapeSlots)
    }

    /// Where a parser interns keys and objects.
    enum Interning {
        case never, insideArrays, everywhere
    }

    /// An object the parser made, its keys in the order they were read, and the index of each in it. A copy of the
    /// object has the same indices (a value replaced through `values[index]` leaves them valid), so an object of the
    /// same keys is made by replacing each value in place.
    struct ObjectShape {
        var keys: [String]
        var indices: [JSONObject.Index]
        var object: JSONObject
    }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// The members of the objects being read, innermost last, with where each key starts: an object's
        /// dictionary is made once its size is known, so that it is never grown and rehashed.
        var members: [(key: String, value: JSONValue, offset: Int, ascii: Bool)] = []
        /// The member of the top-level object whose array items' text is kept; nil: none.
        var itemsKey: String?
        /// The text of each item of that array, nil where it is not written as ``JSONValue/write(to:)`` writes it.
        var itemTexts: [[UInt8]?] = []
        /// Whether an item's text is being checked, and whether it is still as ``JSONValue/write(to:)`` writes it.
        var checking = false
        var canonical = true
        /// How many arrays the read position is in.
        var arrayDepth = 0
        /// Whether the last string read was ASCII with no escape: its bytes are the only ones its String equals
        /// (Swift compares other text by canonical equivalence, so `é` equals `e` and a combining accent).
        var lastStringWasASCII = false
        /// Where keys and objects are interned.
        let interns: Interning
        /// What was interned; made at the first use.
        var table: InternTable?
        /// Whether the read position is where keys and objects are interned.
        var interning: Bool {
            switch interns {
            case .never: false
            case .insideArrays: arrayDepth > 0
            case .everywhere: true
            }
        }

        /// A parser of `bytes` that interns where `interns` says, in `table` (taken over, and left nil).
        init(bytes: UnsafeBufferPointer<UInt8>, interning interns: Interning, table: inout InternTable?) {
            self.bytes = bytes
            self.interns = interns
            swap(&self.table, &table)
        }

        /// The one JSON value of the text, surrounding whitespace allowed.
        mutating func document() throws(Failure) -> JSONValue {
            skipWhitespace()
            let value = try self.value(depth: 0)
            skipWhitespace()
            guard index == bytes.count else { throw failure("unexpected text after the JSON value") }
            return value
        }

        func failure(_ message: String) -> Failure { Failure(message: message, offset: index) }

        mutating func skipWhitespace() {
            let start = index
            defer { if index != start { canonical = false } }
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(Failure) -> JSONValue {
            guard index < bytes.count else { throw failure("the JSON ends too early") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw failure("unexpected character \(Self.describe(bytes[index]))")
            }
        }

        static func describe(_ byte: UInt8) -> String {
            byte >= 0x20 && byte < 0x7F
                ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }

        mutating func literal(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw failure("the JSON ends too early") }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
                throw failure("unexpected character \(Self.describe(bytes[index]))")
            }
            index += count
            return value
        }

        /// Steps over the opening bracket of a container at `depth`; true when it closes at once (`{}`, `[]`).
        mutating func open(depth: Int, closing: UInt8) throws(Failure) -> Bool {
            guard depth <= JSONParser.maximumDepth else { throw failure("nested deeper than \(JSONParser.maximumDepth) levels") }
            index += 1
            skipWhitespace()
            guard index < bytes.count && bytes[index] == closing else { return false }
            index += 1
            return true
        }

        /// After a member: steps over `,` (false: another member follows) or the closing bracket (true).
        mutating func endOfMember(closing: UInt8, in container: String) throws(Failure) -> Bool {
            skipWhitespace()
            guard index < bytes.count else { throw failure("the JSON ends too early") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                return false
            case closing:
                index += 1
                return true
            default: throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))' in \(container)")
            }
        }

        mutating func object(depth: Int) throws(Failure) -> JSONValue {
            if try open(depth: depth, closing: UInt8(ascii: "}")) { return .object([:]) }
            let first = members.count
            defer { members.removeSubrange(first...) }
            var previousKey: Range<Int>?
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw index < bytes.count ? failure("expected a key in double quotes") : failure("the JSON ends too early")
                }
                let keyOffset = index
                let key = try string(interning: interning)
                let asciiKey = lastStringWasASCII
                if checking && canonical { checkOrder(of: (keyOffset + 1)..<(index - 1), after: &previousKey) }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':' after a key") }
                index += 1
                skipWhitespace()
                let member = if depth == 1 && key == itemsKey && index < bytes.count && bytes[index] == UInt8(ascii: "[") {
                    try keptArray(depth: depth)
                } else {
                    try value(depth: depth)
                }
                members.append((key, member, keyOffset, asciiKey))
                if try endOfMember(closing: UInt8(ascii: "}"), in: "an object") { break }
            }
            if interning, let object = copyOfShape(first: first) { return .object(object) }
            var object = JSONObject(minimumCapacity: members.count - first)
            for member in members[first...] where object.updateValue(member.value, forKey: member.key) != nil {
                throw Failure(message: "duplicate key \"\(member.key)\"", offset: member.offset)
            }
            if interning { remember(object, first: first) }
            return .object(object)
        }

        /// The slot in the table's shapes of the object whose members start at `first` in ``members``.
        func shapeSlot(first: Int) -> Int {
            let key = members[first].key.utf8
            return ((members.count - first) &* 31 &+ key.count &* 7 &+ Int(key.first ?? 0)) & (InternTable.shapeSlots - 1)
        }

        /// The object of the members from `first` on, made from the shape in its slot when that has the same keys in
        /// the same order (so none is repeated) and they are all ASCII (so equal keys have equal bytes); nil when not.
        func copyOfShape(first: Int) -> JSONObject? {
            guard let shape = table?.shapes[shapeSlot(first: first)], shape.keys.count == members.count - first,
                members[first...].allSatisfy(\.ascii)
            else { return nil }
            for (offset, key) in shape.keys.enumerated() where key != members[first + offset].key { return nil }
            var object = shape.object
            for (offset, index) in shape.indices.enumerated() { object.values[index] = members[first + offset].value }
            return object
        }

        /// Keeps `object`, made of the members from `first` on, as the shape of its slot when its keys are all ASCII.
        mutating func remember(_ object: JSONObject, first: Int) {
            guard members[first...].allSatisfy(\.ascii) else { return }
            let keys = members[first...].map(\.key)
            let shape = ObjectShape(keys: keys, indices: keys.map { object.index(forKey: $0)! }, object: object)
            let slot = shapeSlot(first: first)
            if table == nil { table = InternTable() }
            table?.shapes[slot] = shape
        }

        /// The String of the ASCII text at `range`: the one the table holds for the same bytes, else a new one, which
        /// it then holds.
        mutating func interned(_ range: Range<Int>) -> String {
            let text = UnsafeBufferPointer(rebasing: bytes[range])
            let count = text.count
            let slot = count == 0 ? 0 : (count &* 31 &+ Int(text[0]) &* 7 &+ Int(text[count / 2]) &* 3 &+ Int(text[count - 1])) & (InternTable.keySlots - 1)
            if let known = table?.keys[slot], known.utf8.count == count,
                known.utf8.withContiguousStorageIfAvailable({ count == 0 || memcmp($0.baseAddress!, text.baseAddress!, count) == 0 }) == true
            {
                return known
            }
            let made = String(decoding: text, as: UTF8.self)
            if table == nil { table = InternTable() }
            table?.keys[slot] = made
            return made
        }

        /// Keys are written in UTF-8 byte order: the item is not as written when the key whose bytes are at `key`
        /// does not come after the one at `previous`.
        mutating func checkOrder(of key: Range<Int>, after previous: inout Range<Int>?) {
            defer { previous = key }
            guard let previous else { return }
            let a = UnsafeBufferPointer(rebasing: bytes[previous]), b = UnsafeBufferPointer(rebasing: bytes[key])
            let common = min(a.count, b.count)
            let compared = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
            if compared > 0 || (compared == 0 && a.count >= b.count) { canonical = false }
        }

        /// An array whose items' text is kept (``itemTexts``).
        mutating func keptArray(depth: Int) throws(Failure) -> JSONValue {
            itemTexts = []
            var elements: [JSONValue] = []
            if try open(depth: depth + 1, closing: UInt8(ascii: "]")) { return .array(elements) }
            arrayDepth += 1
            defer { arrayDepth -= 1 }
            while true {
                skipWhitespace()
                let start = index
                checking = true
                canonical = true
                elements.append(try value(depth: depth + 1))
                checking = false
                itemTexts.append(canonical ? Array(UnsafeBufferPointer(rebasing: bytes[start..<index])) : nil)
                if try endOfMember(closing: UInt8(ascii: "]"), in: "an array") { return .array(elements) }
            }
        }

        mutating func array(depth: Int) throws(Failure) -> JSONValue {
            var elements: [JSONValue] = []
            if try open(depth: depth, closing: UInt8(ascii: "]")) { return .array(elements) }
            arrayDepth += 1
            defer { arrayDepth -= 1 }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth))
                if try endOfMember(closing: UInt8(ascii: "]"), in: "an array") { return .array(elements) }
            }
        }

        /// A string; with `interning`, an ASCII one is ``interned(_:)``.
        mutating func string(interning: Bool = false) throws(Failure) -> String {
            index += 1
            let start = index
            lastStringWasASCII = false
            // Fast path: no escapes. ASCII needs no check of its UTF-8.
            var bits: UInt8 = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let range = start..<index
                    index += 1
                    lastStringWasASCII = bits < 0x80
                    guard bits < 0x80 else { return try validated(range) }
                    return interning ? interned(range) : String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw failure("a control character must be escaped in a string") }
                bits |= byte
                index += 1
            }
            canonical = false
            var scalars = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    guard let text = String(strictUTF8: scalars) else {
                        throw Failure(message: "invalid UTF-8 in a string", offset: start)
                    }
                    return text
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { throw failure("the JSON ends too early") }
                    let escaped = bytes[index]
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "\""): scalars.append(0x22)
                    case UInt8(ascii: "\\"): scalars.append(0x5C)
                    case UInt8(ascii: "/"): scalars.append(0x2F)
                    case UInt8(ascii: "b"): scalars.append(0x08)
                    case UInt8(ascii: "f"): scalars.append(0x0C)
                    case UInt8(ascii: "n"): scalars.append(0x0A)
                    case UInt8(ascii: "r"): scalars.append(0x0D)
                    case UInt8(ascii: "t"): scalars.append(0x09)
                    case UInt8(ascii: "u"): scalars.append(contentsOf: try unicodeEscape())
                    default:
                        index -= 1
                        throw failure("unknown escape \\\(Character(Unicode.Scalar(escaped)))")
                    }
                default:
                    if byte < 0x20 { throw failure("a control character must be escaped in a string") }
                    scalars.append(byte)
                    index += 1
                }
            }
            throw Failure(message: "unterminated string", offset: start - 1)
        }

        func validated(_ range: Range<Int>) throws(Failure) -> String {
            let slice = UnsafeBufferPointer(rebasing: bytes[range])
            guard let text = String(strictUTF8: slice) else {
                throw Failure(message: "invalid UTF-8 in a string", offset: range.lowerBound)
            }
            return text
        }

        /// `\uXXXX` (a surrogate pair as two of them), as UTF-8.
        mutating func unicodeEscape() throws(Failure) -> [UInt8] {
            let first = try hexQuad()
            var scalar: Unicode.Scalar?
            if (0xD800..<0xDC00).contains(first) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("a lone surrogate \\u\(String(first, radix: 16))")
                }
                index += 2
                let second = try hexQuad()
                guard (0xDC00..<0xE000).contains(second) else { throw failure("a lone surrogate \\u\(String(first, radix: 16))") }
                scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            } else {
                scalar = Unicode.Scalar(first)
            }
            guard let scalar else { throw failure("a lone surrogate \\u\(String(first, radix: 16))") }
            return Array(String(Character(scalar)).utf8)
        }

        mutating func hexQuad() throws(Failure) -> UInt32 {
            guard index + 4 <= bytes.count else { throw failure("the JSON ends too early") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw failure("expected 4 hex digits after \\u")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// Steps over a run of digits; throws `message` when there is none.
        mutating func digits(orFail message: String) throws(Failure) {
            let first = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > first else { throw failure(message) }
        }

        mutating func number() throws(Failure) -> JSONValue {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let integerStart = index
            try digits(orFail: "expected a digit")
            if bytes[integerStart] == UInt8(ascii: "0") && index - integerStart > 1 {
                index = integerStart + 1
                throw failure("a number may not start with 0")
            }
            var integral = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                integral = false
                index += 1
                try digits(orFail: "expected a digit after '.'")
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                integral = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                try digits(orFail: "expected a digit in the exponent")
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if integral {
                if checking && text == "-0" { canonical = false }
                return Int64(text).map(JSONValue.integer) ?? .bigInteger(text)
            }
            guard let double = Double(text), double.isFinite else {
                throw Failure(message: "the number \(SecretRedaction.cut(text, to: 40)) is out of range", offset: start)
            }
            if checking && canonical && JSONValue.text(of: double) != text { canonical = false }
            return .double(double)
        }
    }
}

/// Parses a series of JSON documents that share their keys and shapes (the rows of a table, the lines of a file):
/// as ``JSONParser/parse(_:)`` does, with the keys and object shapes of earlier documents kept, so that each later
/// one is made with less hashing and allocation.
public struct JSONSeriesParser {
    private var table: JSONParser.InternTable?

    /// A parser with nothing read yet.
    public init() {}

    /// Parses one document, as ``JSONParser/parse(_:)``.
    public mutating func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(JSONParser.Failure) -> JSONValue {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParser.Failure) -> JSONValue in try parse(buffer: buffer) }
        }
        if let contiguous { return try contiguous.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(JSONParser.Failure) in try parse(buffer: buffer) }
    }

    private mutating func parse(buffer: UnsafeBufferPointer<UInt8>) throws(JSONParser.Failure) -> JSONValue {
        var parser = JSONParser.Parser(bytes: buffer, interning: .everywhere, table: &table)
        defer { swap(&table, &parser.table) }
        return try parser.document()
    }
}
