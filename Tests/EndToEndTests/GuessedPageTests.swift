import Foundation
import IntercomKit
import IntercomTesting
import Testing

/// `users all` on the REST API asks for the next page from the text of an answer, before parsing it: each page is
/// still asked for once, and what the parsed answer says decides the walk, whatever the text seemed to say.
@Suite("Guessed next pages end to end")
struct GuessedPageTests {
    static let json = ["Content-Type": "application/json"]

    /// A contact list of pages `c1`, `c2`, `c3` of two contacts each; `page(n)` may replace the text of page n.
    static func answer(_ request: CannedResponseServer.ReceivedRequest, page: (Int) -> String? = { _ in nil }) -> CannedResponseServer.CannedResponse {
        let number = ["starting_after=c2": 2, "starting_after=c3": 3].first { request.uri.contains($0.key) }?.value ?? 1
        if let text = page(number) { return .init(status: 200, headers: json, body: text) }
        let contacts = (1...2).map { #"{"type":"contact","id":"p\#(number)-\#($0)"}"# }.joined(separator: ",")
        let next = number < 3 ? #","pages":{"next":{"starting_after":"c\#(number + 1)"}}"# : ""
        return .init(status: 200, headers: json, body: #"{"type":"list","data":[\#(contacts)],"total_count":6\#(next)}"#)
    }

    static func walk(_ server: CannedResponseServer) async throws -> (records: [JSONValue], gets: [String], status: Int32) {
        let outcome = try await ExecutableRunner.run(["--output", "ndjson", "-c", "users all"], environment: server.restClientEnvironment())
        let records = try outcome.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        return (records, server.receivedRequests.filter { $0.method == "GET" }.map(\.uri), outcome.status)
    }

    @Test("each page is asked for once, the guessed ones included, and every contact is written in order")
    func eachPageOnce() async throws {
        try await CannedResponseServer.with(answering: { Self.answer($0) }) { server in
            let walked = try await Self.walk(server)
            #expect(walked.status == 0)
            #expect(walked.records.compactMap { $0["result"]?["id"]?.stringValue } == ["p1-1", "p1-2", "p2-1", "p2-2", "p3-1", "p3-2"])
            #expect(walked.gets.count == 3, "\(walked.gets)")
            #expect(walked.gets.filter { $0.contains("starting_after=c2") }.count == 1 && walked.gets.filter { $0.contains("starting_after=c3") }.count == 1)
        }
    }

    @Test("a cursor written with an escape is not guessed, and the walk follows what it parses to")
    func escapedCursor() async throws {
        let escaped = #"{"type":"list","data":[{"type":"contact","id":"p1-1"}],"pages":{"next":{"starting_after":"c\u0032"}}}"#
        try await CannedResponseServer.with(answering: { Self.answer($0, page: { $0 == 1 ? escaped : nil }) }) { server in
            let walked = try await Self.walk(server)
            #expect(walked.status == 0)
            #expect(walked.records.compactMap { $0["result"]?["id"]?.stringValue } == ["p1-1", "p2-1", "p2-2", "p3-1", "p3-2"])
            #expect(walked.gets.count == 3, "\(walked.gets)")
        }
    }

    @Test("an answer whose text names a next page but does not parse, or names it twice, ends the walk as invalid_response")
    func unparsableAnswerEndsTheWalk() async throws {
        let twice = #"{"data":[{"type":"contact","id":"x"}],"pages":{"next":{"starting_after":"c3"}},"pages":{"next":null}}"#
        let broken = #"{"data":[{"type":"contact","id":"x"}],"pages":{"next":{"starting_after":"c3"}}"#
        let empty = #"{"data":[],"pages":{"next":{"starting_after":"c3"}}}"#
        for text in [twice, broken, empty] {
            try await CannedResponseServer.with(answering: { Self.answer($0, page: { $0 == 2 ? text : nil }) }) { server in
                let walked = try await Self.walk(server)
                #expect(walked.status != 0)
                #expect(walked.records.compactMap { $0["result"]?["id"]?.stringValue } == ["p1-1", "p1-2"], "\(walked.records)")
                #expect(walked.records.last?["error"]?["type"] == "invalid_response", "\(walked.records)")
                #expect(walked.records.count == 3, "nothing of the guessed page is written: \(walked.records)")
            }
        }
    }

    @Test("contacts are written in the same compact, sorted form whether or not the server wrote them that way")
    func outputIsTheSameWhateverTheForm() async throws {
        let loose = #"{"data": [ {"type":"contact", "id":"p1-1","name":"A\u006e\/n","score":1.50},"#
            + #"{"type":"contact","id":"p1-2","name":"Bo","score":2.5} ], "pages":{"next":{"starting_after":"c2"}}}"#
        let tight = #"{"data":[{"id":"p1-1","name":"An/n","score":1.5,"type":"contact"},"#
            + #"{"id":"p1-2","name":"Bo","score":2.5,"type":"contact"}],"pages":{"next":{"starting_after":"c2"}}}"#
        var outputs: [[String]] = []
        for first in [loose, tight] {
            try await CannedResponseServer.with(answering: { Self.answer($0, page: { $0 == 1 ? first : nil }) }) { server in
                let outcome = try await ExecutableRunner.run(["--output", "ndjson", "-c", "users all"], environment: server.restClientEnvironment())
                #expect(outcome.status == 0, "\(outcome.standardError)")
                outputs.append(outcome.standardOutput.split(separator: "\n").map(String.init))
            }
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].first == #"{"line":1,"op":"all_users","ok":true,"result":{"id":"p1-1","name":"An/n","score":1.5,"type":"contact"}}"#)
        #expect(outputs[0].count == 6)
    }
}
