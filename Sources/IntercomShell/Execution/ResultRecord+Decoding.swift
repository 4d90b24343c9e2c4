public import IntercomKit

extension ResultRecord {
    /// The record that `json` (a record's ``json`` or ``ndjson``, parsed) holds; nil when it is not a record.
    /// The time an operation took is not part of a record's JSON and comes back nil.
    public init?(json: JSONValue) {
        guard let line = json["line"]?.integerValue, let ok = json["ok"]?.boolValue else { return nil }
        let outcome: Result<JSONValue, Failure>
        if ok {
            outcome = .success(json["result"] ?? .null)
        } else {
            guard let error = json["error"], let type = error["type"]?.stringValue.flatMap(FailureType.init(rawValue:)),
                let message = error["message"]?.stringValue
            else { return nil }
            let status = error["status"]?.integerValue.flatMap { Int(exactly: $0) }
            let cause = error["cause"]?.stringValue.flatMap(IntercomError.Kind.init(rawValue:))
            let applied = error["applied"]?.arrayValue?.compactMap(\.stringValue) ?? []
            outcome = .failure(Failure(type: type, status: status, cause: cause, message: message, applied: applied))
        }
        self.init(line: Int(clamping: line), source: json["source"]?.stringValue, ref: json["ref"], op: json["op"]?.stringValue, outcome: outcome)
    }
}
