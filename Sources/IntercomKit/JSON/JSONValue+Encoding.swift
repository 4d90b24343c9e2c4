import Foundation

extension JSONValue {
    /// Appends the value as compact JSON with sorted keys to `output`: the same text as Foundation's `JSONEncoder`
    /// with `.sortedKeys` and `.withoutEscapingSlashes` (keys in code point order), written directly (records are
    /// written by the million).
    public func write(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): output.append(contentsOf: String(value).utf8)
        case .double(let value): output.append(contentsOf: Self.text(of: value).utf8)
        case .bigInteger(let digits): output.append(contentsOf: digits.utf8)
        case .string(let value): Self.write(string: value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            let members = Array(object)
            for (written, rank) in Self.keyOrder(of: members).enumerated() {
                if written > 0 { output.append(UInt8(ascii: ",")) }
                Self.write(string: members[rank.position].key, to: &output)
                output.append(UInt8(ascii: ":"))
                members[rank.position].value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Whether key `a` sorts before key `b`: in code point order, which is UTF-8 byte order (and String's order for
    /// any key not spelled with combining marks), compared with `memcmp`.
    @inline(__always)
    static func precedes(_ a: String, _ b: String) -> Bool {
        let order = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                let common = min(x.count, y.count)
                let compared = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return compared != 0 ? compared < 0 : x.count < y.count
            }
        }
        return (order ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// A Double as JSON: the shortest text that reads back as the same value, without a trailing `.0`.
    static func text(of value: Double) -> String {
        guard value.isFinite else { return "null" }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// A string in double quotes, escaping `"`, `\` and control characters.
    static func write(string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        writeContents(of: string, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `string` as it is written between the quotes of a JSON string: `"`, `\` and control characters
    /// escaped.
    public static func writeContents(of string: String, to output: inout [UInt8]) {
        var string = string
        string.withUTF8 { bytes in
            // Most strings need no escape: one copy.
            if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                output.append(contentsOf: bytes)
            } else {
                writeEscaped(bytes, to: &output)
            }
        }
    }

    /// Appends `bytes` with `"`, `\` and control characters escaped.
    private static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: output.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: output.append(byte)
            }
        }
    }
}
