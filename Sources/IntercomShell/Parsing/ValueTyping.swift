public import IntercomKit

/// Types command-language values the way jo and `gh api -F` do.
///
/// Integers (beyond 64 bits, with their digits kept) and decimals (JSON number syntax) become numbers, `true`/`false`/`null` JSON literals, a value starting
/// with `{` or `[` is parsed as JSON, and anything else, or anything quoted, is a string.
public enum ValueTyping {
    /// The JSON value of a word's value part.
    public static func type(_ text: String, quoted: Bool) throws(InputError) -> JSONValue {
        if quoted { return .string(text) }
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: break
        }
        if let first = text.first, first == "{" || first == "[" {
            do {
                return try JSONValue(parsing: text)
            } catch {
                throw InputError("invalid JSON value \(SecretRedaction.cut(text, to: 40)): \(error)")
            }
        }
        if isJSONNumber(text) {
            if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                return Int64(text).map(JSONValue.integer) ?? .bigInteger(text)
            }
            if let double = Double(text), double.isFinite { return .double(double) }
        }
        return .string(text)
    }

    /// Whether `text` is a number in JSON's syntax (so `007`, `+1`, `1.` and `0x10` are not).
    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
