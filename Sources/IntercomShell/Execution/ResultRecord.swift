public import IntercomKit

/// The outcome of one input line: `{"line":17,"ref":"row-17","op":"create_user","ok":true,"result":{…}}`,
/// or with `"ok":false` and `"error":{"type","status","cause","message","applied"}` (`status` and `cause` when known,
/// `applied` for a `partially_applied` line).
public struct ResultRecord: Sendable, Hashable {
    /// Why an operation failed.
    public struct Failure: Sendable, Hashable, Error {
        /// What kind of failure it is.
        public var type: FailureType
        /// The HTTP status, when the server answered.
        public var status: Int?
        /// For an `unknown_outcome`: the type the failure would have had had it been safe to report plainly
        /// (`bad_gateway`, `timeout`, …), so that what the server said is kept.
        public var cause: IntercomError.Kind?
        /// What went wrong.
        public var message: String
        /// For a `partially_applied` failure: the requests that were applied (`POST /conversations/5591/reply`).
        public var applied: [String] = []

        /// Creates a failure.
        public init(type: FailureType, status: Int? = nil, cause: IntercomError.Kind? = nil, message: String, applied: [String] = []) {
            self.type = type
            self.status = status
            self.cause = cause
            self.message = message
            self.applied = applied
        }

        /// This failure of a line that had already applied `applied` (writes that succeeded): unchanged when none
        /// was, else `partially_applied`, its message saying what was applied, its type kept as `cause`.
        public func afterApplying(_ applied: [String]) -> Failure {
            guard !applied.isEmpty, type != .partiallyApplied else { return self }
            let cause: IntercomError.Kind? = if case .api(let kind) = type { kind } else { self.cause }
            return Failure(
                type: .partiallyApplied, status: status, cause: cause,
                message: "\(message); already applied: \(applied.joined(separator: ", ")) (not sent again)", applied: applied)
        }

        /// One line for people: `type (status, cause): message`.
        public var summary: String {
            let details = [status.map(String.init), cause?.rawValue].compactMap { $0 }
            return type.rawValue + (details.isEmpty ? "" : " (" + details.joined(separator: ", ") + ")") + ": " + message
        }

        /// The failure for an ``InputError`` on line `line`: `invalid_input`, with `LINE:COLUMN:` when the column is known.
        public init(_ error: InputError, line: Int) {
            if error.needsRestAPI {
                self.init(type: .unsupported, message: error.message + "; nothing was sent")
                return
            }
            self.init(type: .invalidInput, message: error.column.map { "\(line):\($0): \(error.message)" } ?? error.message)
        }

        /// The failure for an ``IntercomError``.
        public init(_ error: IntercomError) {
            self.init(type: .api(error.kind), status: error.status, message: error.message)
        }

        /// The failure's JSON: `{"type":…,"status":…,"message":…}`.
        public var json: JSONValue {
            var object: JSONObject = ["type": .string(type.rawValue), "message": .string(message)]
            if let status { object["status"] = .integer(Int64(status)) }
            if let cause { object["cause"] = .string(cause.rawValue) }
            if !applied.isEmpty { object["applied"] = .array(applied.map(JSONValue.string)) }
            return .object(object)
        }
    }

    /// The input line number (the first line of a continued command).
    public var line: Int
    /// The file the line came from, when it was run with `source`.
    public var source: String?
    /// The caller's `ref`, echoed back untouched.
    public var ref: JSONValue?
    /// The operation's name (`help` for help), when the line got that far.
    public var op: String?
    /// The server's JSON (`null` when it answered with an empty body), or why it failed.
    public var outcome: Result<JSONValue, Failure> {
        didSet { kept = KeptText() }
    }
    /// The result's JSON text, when it was kept as the server wrote it: the bytes ``JSONValue/write(to:)`` writes for
    /// the result, written as they are. Set with the outcome, and dropped when the outcome changes.
    public var resultText: [UInt8]? { kept.bytes }
    private var kept = KeptText()
    /// How long the operation took, when it ran.
    public var elapsed: Duration?
    /// Whether it is one item of a list the line walks (`users all`), which a table shows as a row of the list, not
    /// as an object of its own. Not written out.
    public var isListItem = false

    /// The compact JSON text of a record's result, when kept from the answer it came in. It is a copy of the outcome
    /// in another form, so it takes no part in comparing records.
    private struct KeptText: Sendable, Hashable {
        var bytes: [UInt8]?

        /// Any two are equal: the outcome they stand for is compared instead.
        static func == (_: KeptText, _: KeptText) -> Bool { true }
        /// Adds nothing to a hash.
        func hash(into hasher: inout Hasher) {}
    }

    /// Creates a record. `resultText`, the success's JSON text as ``JSONValue/write(to:)`` writes it, is written out
    /// in place of the result when given.
    public init(
        line: Int, source: String? = nil, ref: JSONValue? = nil, op: String?, outcome: Result<JSONValue, Failure>, elapsed: Duration? = nil,
        resultText: [UInt8]? = nil
    ) {
        self.line = line
        self.source = source
        self.ref = ref
        self.op = op
        self.outcome = outcome
        self.elapsed = elapsed
        if case .success = outcome { kept = KeptText(bytes: resultText) }
    }

    /// Whether the operation succeeded.
    public var ok: Bool {
        if case .success = outcome { return true }
        return false
    }

    /// The failure, when there was one.
    public var failure: Failure? {
        if case .failure(let failure) = outcome { return failure }
        return nil
    }

    /// The record as one line of compact JSON, keys in the documented order: line, ref, op, ok, result or error.
    public var ndjson: String {
        var bytes: [UInt8] = []
        writeNDJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``ndjson`` to `bytes` as UTF-8.
    public func writeNDJSON(to bytes: inout [UInt8]) {
        if bytes.isEmpty { bytes.reserveCapacity(256) }
        bytes.append(contentsOf: "{\"line\":".utf8)
        bytes.append(contentsOf: String(line).utf8)
        if let source {
            bytes.append(contentsOf: ",\"source\":".utf8)
            JSONValue.string(source).write(to: &bytes)
        }
        if let ref {
            bytes.append(contentsOf: ",\"ref\":".utf8)
            ref.write(to: &bytes)
        }
        if let op {
            bytes.append(contentsOf: ",\"op\":".utf8)
            JSONValue.string(op).write(to: &bytes)
        }
        switch outcome {
        case .success(let result):
            bytes.append(contentsOf: ",\"ok\":true,\"result\":".utf8)
            if let text = kept.bytes { bytes.append(contentsOf: text) } else { result.write(to: &bytes) }
        case .failure(let failure):
            bytes.append(contentsOf: ",\"ok\":false,\"error\":{\"type\":".utf8)
            JSONValue.string(failure.type.rawValue).write(to: &bytes)
            if let status = failure.status {
                bytes.append(contentsOf: ",\"status\":".utf8)
                bytes.append(contentsOf: String(status).utf8)
            }
            if let cause = failure.cause {
                bytes.append(contentsOf: ",\"cause\":".utf8)
                JSONValue.string(cause.rawValue).write(to: &bytes)
            }
            bytes.append(contentsOf: ",\"message\":".utf8)
            JSONValue.string(failure.message).write(to: &bytes)
            if !failure.applied.isEmpty {
                bytes.append(contentsOf: ",\"applied\":".utf8)
                JSONValue.array(failure.applied.map(JSONValue.string)).write(to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// The record as a JSON object (keys unordered).
    public var json: JSONValue {
        var object: JSONObject = ["line": .integer(Int64(line)), "ok": .bool(ok)]
        if let source { object["source"] = .string(source) }
        if let ref { object["ref"] = ref }
        if let op { object["op"] = .string(op) }
        switch outcome {
        case .success(let result): object["result"] = result
        case .failure(let failure): object["error"] = failure.json
        }
        return .object(object)
    }
}
