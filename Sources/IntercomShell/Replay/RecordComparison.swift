import Foundation
public import IntercomKit

/// Compares a recorded result with a new one, ignoring what legitimately changes between runs: ids the server
/// assigns, timestamps and counters, and (on the REST API 2.x) Intercom ids inside text, such as a contact's
/// `/contacts/ID/tags` url. Ids that differ are remembered, so later operations can be mapped to the new ids.
public struct RecordComparison: Sendable {
    /// Field names ignored wherever they appear.
    public static let defaultIgnoredFields: Set<String> = [
        "intercom_id", "id", "thread_id", "message_id", "created_at", "updated_at", "last_impression_at", "created",
        "conversation_id", "signed_up_at", "last_seen_at", "request_id", "first", "last", "notified_at", "waiting_since",
    ]
    /// The id fields whose recorded and new values are mapped.
    public static let idFields: Set<String> = ["intercom_id", "id", "thread_id", "message_id", "conversation_id"]

    /// One difference: where, and the two values (`nil` when missing).
    public struct Difference: Sendable, Hashable, CustomStringConvertible {
        /// The path, e.g. `result.messages[1].html`.
        public var path: String
        /// The recorded value.
        public var recorded: JSONValue?
        /// The new value.
        public var now: JSONValue?

        /// Creates a difference.
        public init(path: String, recorded: JSONValue?, now: JSONValue?) {
            self.path = path
            self.recorded = recorded
            self.now = now
        }

        /// `path: recorded X, now Y`.
        public var description: String {
            "\(path): recorded \(recorded?.encodedString() ?? "(missing)"), now \(now?.encodedString() ?? "(missing)")"
        }
    }

    /// Field names ignored anywhere.
    public var ignoredFields: Set<String>
    /// Dotted paths ignored (`result.custom_data.visits`), from `--ignore` arguments that contain a dot.
    public var ignoredPaths: Set<String>

    /// Creates a comparison with the default ignore list plus `ignore` (field names, or dotted paths from the record).
    public init(ignore: [String] = []) {
        ignoredFields = Self.defaultIgnoredFields.union(ignore.filter { !$0.contains(".") && !$0.contains("[") })
        ignoredPaths = Set(ignore.filter { $0.contains(".") || $0.contains("[") })
    }

    /// The differences between two record JSONs (the `ok`, `error` and `result` members), and the id pairs seen.
    public func compare(recorded: JSONValue, now: JSONValue) -> (differences: [Difference], ids: [(old: JSONValue, new: JSONValue)]) {
        var differences: [Difference] = []
        var ids: [(old: JSONValue, new: JSONValue)] = []
        for key in ["ok", "error", "result"] {
            walk(recorded[key], now[key], path: key, key: key, &differences, &ids)
        }
        return (differences, ids)
    }

    private func walk(
        _ recorded: JSONValue?, _ now: JSONValue?, path: String, key: String, _ differences: inout [Difference],
        _ ids: inout [(old: JSONValue, new: JSONValue)]
    ) {
        if ignoredPaths.contains(path) { return }
        if ignoredFields.contains(key) {
            if Self.idFields.contains(key), let recorded, let now, recorded != now, !recorded.isNull { ids.append((recorded, now)) }
            return
        }
        switch (recorded, now) {
        case (.object(let a)?, .object(let b)?):
            for member in Set(a.keys).union(b.keys).sorted() {
                walk(a[member], b[member], path: path + "." + member, key: member, &differences, &ids)
            }
        case (.array(let a)?, .array(let b)?) where a.count == b.count:
            for index in a.indices {
                walk(a[index], b[index], path: path + "[\(index)]", key: key, &differences, &ids)
            }
        case (.string(let a)?, .string(let b)?) where Self.withoutIntercomIDs(a) == Self.withoutIntercomIDs(b):
            return
        default:
            if recorded != now { differences.append(Difference(path: path, recorded: recorded, now: now)) }
        }
    }

    /// `text` with every run of exactly 24 hex digits (an Intercom object id) replaced by `*`.
    static func withoutIntercomIDs(_ text: String) -> String {
        guard text.utf8.count >= 24 else { return text }
        var result = ""
        var run = ""
        func flush() {
            result += run.count == 24 ? "*" : run
            run = ""
        }
        for character in text {
            if character.isHexDigit { run.append(character) } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    /// An API path with each segment that is a recorded id replaced by the id this server gave (a segment that is a
    /// number's digits maps as that number).
    public static func mapIDs(inPath path: String, _ ids: [JSONValue: JSONValue]) -> String {
        guard !ids.isEmpty else { return path }
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let segments = parts[0].split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            let segment = String(part).removingPercentEncoding ?? String(part)
            let new = ids[.string(segment)] ?? Int64(segment).flatMap { String($0) == segment ? ids[.integer($0)] : nil }
            guard let new, let text = new.stringValue ?? new.integerValue.map({ String($0) }) else { return String(part) }
            return IntercomRequest.pathSegment(text)
        }
        return segments.joined(separator: "/") + (parts.count > 1 ? "?" + parts[1] : "")
    }

    /// `parameters` with every value equal to a recorded id replaced by the new id.
    public static func mapIDs(in parameters: JSONObject, _ ids: [JSONValue: JSONValue]) -> JSONObject {
        guard !ids.isEmpty else { return parameters }
        func map(_ value: JSONValue) -> JSONValue {
            if let mapped = ids[value] { return mapped }
            switch value {
            case .array(let items): return .array(items.map(map))
            case .object(let object): return .object(object.mapValues(map))
            default: return value
            }
        }
        var mapped = parameters.mapValues(map)
        // An id parameter holds a number's digits as text (thread_id "5591" for a recorded 5591); only id
        // parameters are read so, and only the exact digits, so that a user_id that happens to match stays.
        for key in idFields {
            guard case .string(let text)? = parameters[key], let number = Int64(text), String(number) == text,
                let new = ids[.integer(number)]
            else { continue }
            mapped[key] = .string(new.integerValue.map { String($0) } ?? new.stringValue ?? text)
        }
        return mapped
    }
}
