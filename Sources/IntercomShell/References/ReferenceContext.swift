import Foundation
public import IntercomKit

/// What `${…}` references can name in a run or a prompt session: earlier results named with `as`, the previous
/// result (`_`), `--set` variables and the environment (`env:NAME`).
public struct ReferenceContext: Sendable {
    /// `--set NAME=VALUE` variables.
    public var variables: [String: String]
    /// The process environment, for `${env:NAME}`.
    public var environment: [String: String]
    /// Why `${env:NAME}` may not be read here (input from standard input without `--trust-input`), or nil.
    public var environmentRefusal: String?
    /// Results named with `as NAME` (or `"as":"NAME"`).
    public var named: [String: JSONValue] = [:]
    /// The previous successful result, `${_}`.
    public var previous: JSONValue?
    /// For `--dry-run`, where nothing answers: a missing field of a known name (or of `_`) reads as a placeholder
    /// `${…}` instead of an error. Unknown names are still errors.
    public var lenient = false

    /// Creates a context.
    public init(variables: [String: String] = [:], environment: [String: String] = [:]) {
        self.variables = variables
        self.environment = environment
    }

    /// Remembers a result: under `name` when the operation was named, and as the previous result unless it is
    /// empty (an event's answer), so `${_…}` keeps pointing at the last result that has fields.
    public mutating func remember(_ result: JSONValue, as name: String?) {
        if !result.isNull { previous = result }
        if let name { named[name] = result }
    }

    /// The value of one reference: `env:NAME`, a variable, `_`, or a named result followed by a path of
    /// `.key` and `[index]` steps (`ben.custom_data.plan`, `_.messages[0].html`).
    public func value(of reference: String) throws(InputError) -> JSONValue {
        if reference.hasPrefix("env:") {
            if let environmentRefusal { throw InputError("${\(reference)}: \(environmentRefusal)") }
            let name = String(reference.dropFirst(4))
            guard let value = environment[name] else { throw InputError("${\(reference)}: the environment has no \(name)") }
            return .string(value)
        }
        let (root, steps) = try Self.parsePath(reference)
        if steps.isEmpty, let variable = variables[root] { return .string(variable) }
        var current: JSONValue
        if root == "_" {
            guard let previous else {
                if lenient { return .string("${\(reference)}") }
                throw InputError("${\(reference)}: there is no previous result yet")
            }
            current = previous
        } else if let result = named[root] {
            current = result
        } else {
            let known = (named.keys.sorted() + variables.keys.sorted()).joined(separator: ", ")
            throw InputError("${\(reference)}: no result or variable named '\(root)'" + (known.isEmpty ? "" : " (known: \(known))"))
        }
        var walked = root
        for step in steps {
            switch step {
            case .key(let key):
                let object = current.objectValue ?? [:]
                guard let next = ResultAliases.overriding(key, in: object) ?? object[key] ?? ResultAliases.value(of: key, in: object) else {
                    if lenient { return .string("${\(reference)}") }
                    throw InputError("${\(reference)}: \(walked) has no field '\(key)'")
                }
                current = next
                walked += ".\(key)"
            case .index(let index):
                guard let items = current.arrayValue, index < items.count else {
                    if lenient { return .string("${\(reference)}") }
                    throw InputError("${\(reference)}: \(walked) has no element [\(index)]")
                }
                current = items[index]
                walked += "[\(index)]"
            }
        }
        return current
    }

    enum Step {
        case key(String)
        case index(Int)
    }

    static func parsePath(_ reference: String) throws(InputError) -> (String, [Step]) {
        var steps: [Step] = []
        var characters = Substring(reference)
        let root = characters.prefix { $0 != "." && $0 != "[" }
        guard !root.isEmpty else { throw InputError("${\(reference)}: a reference starts with a name") }
        characters = characters.dropFirst(root.count)
        while let first = characters.first {
            if first == "." {
                let key = characters.dropFirst().prefix { $0 != "." && $0 != "[" }
                guard !key.isEmpty else { throw InputError("${\(reference)}: empty field name") }
                steps.append(.key(String(key)))
                characters = characters.dropFirst(1 + key.count)
            } else {
                let digits = characters.dropFirst().prefix { $0 != "]" }
                guard let index = Int(digits), index >= 0, characters.dropFirst(1 + digits.count).first == "]" else {
                    throw InputError("${\(reference)}: [\(digits)] is not an index")
                }
                steps.append(.index(index))
                characters = characters.dropFirst(2 + digits.count)
            }
        }
        return (String(root), steps)
    }

    /// Whether `text` contains `${`, scanned byte by byte (this runs on every string of every line).
    public static func mayHoldReference(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == UInt8(ascii: "$") && byte == UInt8(ascii: "{") { return true }
            previous = byte
        }
        return false
    }

    /// Whether an input line may hold a `${…}` reference once it is read: whether it contains a `$` or `\u0024`,
    /// the only ways a `$` can reach a value through any escaping or quoting (`\u0024{` in JSON; `$\{`, `'$'{`,
    /// `"$"{` or `$""{` in the command language, whose quoted and bare parts join into one word). Lines without
    /// either are never interpolated and never wait for earlier results.
    public static func lineMayHoldReference(_ line: String) -> Bool {
        var line = line
        return line.withUTF8 { bytes in
            let dollar = UInt8(ascii: "$"), backslash = UInt8(ascii: "\\")
            var index = 0
            while index < bytes.count {
                switch bytes[index] {
                case dollar: return true
                case backslash where index + 5 < bytes.count && bytes[index + 1] == UInt8(ascii: "u") && bytes[index + 2] == UInt8(ascii: "0")
                    && bytes[index + 3] == UInt8(ascii: "0") && bytes[index + 4] == UInt8(ascii: "2") && bytes[index + 5] == UInt8(ascii: "4"):
                    return true
                default: index += 1
                }
            }
            return false
        }
    }

    /// Replaces every `${…}` in `text`. A text that is exactly one reference keeps the referenced JSON type;
    /// otherwise strings are inserted as they are and other values as JSON. `$${` stands for a literal `${`.
    public func interpolate(_ text: String) throws(InputError) -> JSONValue {
        guard Self.mayHoldReference(text) else { return .string(text) }
        let bytes = Array(text.utf8)
        if bytes.count >= 3, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "{"), bytes.firstIndex(of: UInt8(ascii: "}")) == bytes.count - 1 {
            return try value(of: String(decoding: bytes[2..<(bytes.count - 1)], as: UTF8.self))
        }
        return .string(try replacingReferences(in: bytes) { _, value in value.stringValue ?? value.encodedString() })
    }

    /// Replaces every `${…}` in the API path `text`, each value as exactly one path segment (percent-encoded, so a
    /// `/`, `?` or `%` in the data cannot change which operation runs): only text and numbers can be one, and empty
    /// text cannot (`/contacts/${id}` would become `/contacts/`, another operation).
    public func interpolatePath(_ text: String) throws(InputError) -> String {
        guard Self.mayHoldReference(text) else { return text }
        return try replacingReferences(in: Array(text.utf8)) { reference, value throws(InputError) in
            switch value {
            case .string(let segment) where segment.allSatisfy(\.isWhitespace):
                throw InputError("${\(reference)} is \(segment.isEmpty ? "empty" : "only blanks"); a reference in a path must be a segment with text in it")
            case .string(let segment): return IntercomRequest.pathSegment(segment)
            case .integer(let number): return String(number)
            case .bigInteger(let digits): return digits
            case let other: throw InputError("${\(reference)} is \(other.typeDescription); a reference in a path must be text or a number")
            }
        }
    }

    /// `bytes` with each `${reference}` replaced by what `insert` makes of its value (`$${` stands for a literal
    /// `${`). Scanned as UTF-8 bytes: `$`, `{` and `}` are ASCII, so every cut falls between scalars, also where a
    /// `$` joins the character before it into one Character (after U+0604, say).
    private func replacingReferences(
        in bytes: [UInt8], insert: (String, JSONValue) throws(InputError) -> String
    ) throws(InputError) -> String {
        let dollar = UInt8(ascii: "$"), open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        func slice(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        var output = ""
        var copied = 0
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == dollar, bytes[index + 1] == open else {
                index += 1
                continue
            }
            if index > copied, bytes[index - 1] == dollar {
                output += slice(copied..<(index - 1)) + "${"
                index += 2
                copied = index
                continue
            }
            output += slice(copied..<index)
            guard let end = bytes[(index + 2)...].firstIndex(of: close) else {
                throw InputError("unterminated reference: \(SecretRedaction.cut(slice(index..<bytes.count), to: 30))")
            }
            let reference = slice((index + 2)..<end)
            output += try insert(reference, try value(of: reference))
            index = end + 1
            copied = index
        }
        return output + slice(copied..<bytes.count)
    }

    /// Interpolates every string inside `value` (object keys are left alone).
    public func interpolateStrings(in value: JSONValue) throws(InputError) -> JSONValue {
        switch value {
        case .string(let text): return try interpolate(text)
        case .array(let items):
            var result: [JSONValue] = []
            for item in items { result.append(try interpolateStrings(in: item)) }
            return .array(result)
        case .object(let object):
            var result: JSONObject = [:]
            for (key, member) in object { result[key] = try interpolateStrings(in: member) }
            return .object(result)
        default: return value
        }
    }
}
