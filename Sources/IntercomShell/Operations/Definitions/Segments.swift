import IntercomKit

extension OperationName {
    /// The workspace's segments (REST API 2.x only).
    public static let getSegments = OperationName(rawValue: "get_segments")
    /// One segment by id (REST API 2.x only).
    public static let getSegment = OperationName(rawValue: "get_segment")
    /// The segments a contact is in (REST API 2.x only).
    public static let userSegments = OperationName(rawValue: "user_segments")
}

/// Segments: saved filters of contacts.
enum SegmentDefinitions {
    static let all: [OperationDefinition] = [getSegments, getSegment, userSegments]

    static let getSegments = OperationDefinition(
        name: .getSegments, parameters: [], effect: .read,
        commands: [
            CommandSpec(
                words: ["segments"], operation: .getSegments, positionals: .none, usage: "segments",
                summary: "List the workspace's segments (REST API 2.x only).", example: "segments", group: "Segments")
        ],
        v1: nil,
        rest: { _, _, _ throws(ResultRecord.Failure) in .request(IntercomRequest(method: .get, path: "segments"), .read) })

    static let getSegment = OperationDefinition(
        name: .getSegment, parameters: [ParameterSpec("id", .identifier)], effect: .read,
        commands: [
            CommandSpec(
                words: ["segment"], operation: .getSegment, positionals: .parameters(["id"]), usage: "segment <id>",
                summary: "Show one segment (REST API 2.x only).", example: "segment seg-users", group: "Segments", required: ["id"])
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            .request(IntercomRequest(method: .get, path: "segments/" + IntercomRequest.pathSegment(try p.text("id"))), .read)
        })

    static let userSegments = OperationDefinition(
        name: .userSegments, parameters: CommonParameters.ident, effect: .read,
        commands: [
            CommandSpec(
                words: ["user", "segments"], operation: .userSegments, positionals: .identifier(then: []), usage: "user segments <ident>",
                summary: "List the segments a contact is in (REST API 2.x only).", example: "user segments somebody@example.com",
                group: "Segments")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in .contact(.read(try p.user(), .segments)) })
}
