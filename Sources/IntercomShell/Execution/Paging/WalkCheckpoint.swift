public import IntercomKit

/// Where a walk stands after a page whose records are all written out: what a journal keeps so that another run
/// goes on from the next page instead of the first.
public struct WalkCheckpoint: Sendable, Equatable {
    /// The walk's own state (its next request and counts), read back by the walk that made it
    /// (``PageWalking/resume(from:)``).
    public var state: JSONValue
    /// The keys of the items a walk must remember to leave out repeats (a scroll started again): for a new
    /// checkpoint those of its page, for one read back those of every page before it.
    public var given: [String]
    /// The items written out so far, over every run.
    public var written = 0

    /// A checkpoint of `state`, remembering `given`.
    public init(state: JSONValue, given: [String] = [], written: Int = 0) {
        self.state = state
        self.given = given
        self.written = written
    }
}

/// How a walk takes part in a journal: the checkpoint an earlier run left to go on from, and where each new one
/// goes once the records before it are written out.
public struct WalkJournaling: Sendable {
    /// The checkpoint to go on from; nil to start at the first page.
    public var resumeFrom: WalkCheckpoint?
    /// Keeps a checkpoint; called after each page, once its records are out.
    public var save: @Sendable (WalkCheckpoint) async throws -> Void

    /// Journaling that goes on from `resumeFrom` and keeps each checkpoint with `save`.
    public init(resumeFrom: WalkCheckpoint?, save: @escaping @Sendable (WalkCheckpoint) async throws -> Void) {
        self.resumeFrom = resumeFrom
        self.save = save
    }
}

extension IntercomRequest {
    /// The request as JSON, for a checkpoint: method, path, query pairs and body.
    var checkpointJSON: JSONValue {
        var object: JSONObject = [
            "method": .string(method.rawValue), "path": .string(path),
            "query": .array(query.map { .array([.string($0.name), .string($0.value)]) }),
        ]
        if let body { object["body"] = .object(body) }
        return .object(object)
    }

    /// The request `checkpointJSON` describes; nil when it describes none.
    init?(checkpoint json: JSONValue) {
        guard let method = json["method"]?.stringValue.flatMap(Method.init(rawValue:)), let path = json["path"]?.stringValue,
            let pairs = json["query"]?.arrayValue
        else { return nil }
        var query: [(name: String, value: String)] = []
        for pair in pairs {
            guard let items = pair.arrayValue, items.count == 2, let name = items[0].stringValue, let value = items[1].stringValue else { return nil }
            query.append((name, value))
        }
        let body = json["body"]
        guard body == nil || body?.objectValue != nil else { return nil }
        self.init(method: method, path: path, query: query, body: body?.objectValue)
    }
}
