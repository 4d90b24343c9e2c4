import IntercomKit
import Foundation

/// Reads one NDJSON line into an ``Operation``: `{"op": NAME, "ref": ANY, …parameters}`.
///
/// `op` names the operation (or the default operation applies when it is missing), `ref` is echoed back, and
/// every other key must be one of the operation's parameters: an unknown key is an error naming it.
public struct NDJSONOperationDecoder: Sendable {
    /// The operation for lines without `"op"` (`--op NAME`).
    public var defaultOperation: OperationName?

    /// Keys with a meaning of their own beside the parameters.
    public static let reservedKeys: Set<String> = ["op", "ref", "as"]

    /// Creates a decoder.
    public init(defaultOperation: OperationName? = nil) {
        self.defaultOperation = defaultOperation
    }

    /// Decodes `line` (one JSON object), replacing `${…}` references inside string values from `context`.
    public func decode(_ line: String, context: ReferenceContext? = nil) throws(InputError) -> Operation {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: line)
        } catch {
            throw InputError("invalid JSON: \(error.message)", column: error.offset + 1)
        }
        guard case .object(var object) = value else {
            throw InputError("expected a JSON object, got \(value.typeDescription)")
        }
        let name: OperationName
        switch object.removeValue(forKey: "op") {
        case nil, .null?:
            guard let defaultOperation else {
                throw InputError("no \"op\": name the operation (e.g. \"op\":\"create_user\") or run with --op NAME")
            }
            name = defaultOperation
        case .string(let text)?:
            guard let known = OperationName(known: text) else {
                throw InputError("unknown op '\(text)'\(Self.suggestion(for: text))")
            }
            name = known
        case let other?:
            throw InputError("\"op\" must be a string, not \(other.typeDescription)")
        }
        let ref = object.removeValue(forKey: "ref")
        var alias: String?
        switch object.removeValue(forKey: "as") {
        case nil, .null?: break
        case .string(let text)? where ShellNames.isValid(text): alias = text
        case let other?: throw InputError("\"as\" must be a name (letters, digits, _ and -), not \(other.description)")
        }
        for key in object.keys.sorted() where name.parameter(key) == nil {
            let known = name.parameters.map(\.name).joined(separator: ", ")
            throw InputError("unknown key '\(key)' for \(name.rawValue) (" + (known.isEmpty ? "it takes only op, ref and as)" : "it takes \(known); plus op, ref and as)"))
        }
        if let context, ReferenceContext.lineMayHoldReference(line) {
            // An api path's references each become one path segment.
            let path = name == .api ? object.removeValue(forKey: "path") : nil
            if case .object(let interpolated) = try context.interpolateStrings(in: .object(object)) { object = interpolated }
            if case .string(let text)? = path { object["path"] = .string(try context.interpolatePath(text)) } else if let path { object["path"] = path }
        }
        return Operation(name: name, parameters: object, ref: ref, alias: alias)
    }

    static func suggestion(for text: String) -> String {
        guard let nearest = NearestWord.find(text, in: OperationName.allCases.map(\.rawValue)) else { return "" }
        return "; did you mean \(nearest)?"
    }
}

/// Rules for names given with `as`.
enum ShellNames {
    /// Letters, digits, `_` and `-`, starting with a letter or `_` (and not `_` alone, which is the previous result).
    static func isValid(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_", name != "_" else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }
}
