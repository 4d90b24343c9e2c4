import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// Conversations as commands, through the built executable against the sandbox.
@Suite("Conversation commands end to end")
struct ConversationCommandsTests {
    static func records(_ output: String) throws -> [Int: [JSONValue]] {
        let records = try output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        return Dictionary(grouping: records) { Int($0["line"]?.integerValue ?? 0) }
    }

    /// The number of requests the closing summary reports.
    static func requests(_ standardError: String) -> Int? {
        guard let range = standardError.range(of: #"[0-9]+ requests"#, options: .regularExpression) else { return nil }
        return Int(standardError[range].split(separator: " ")[0])
    }

    @Test("reply, note, assign, tag, snooze, search, close, untag, reply as the user, open, list, show; me asked once")
    func actions() async throws {
        let lines = [
            "conversation 5591 as c",
            "reply conversation 5591 \"Happy to help\"",
            "note conversation 5591 \"internal\" admin=bob@sandbox.example.com",
            "assign conversation ${c.id} to=me",
            "assign conversation 5591 to=814865 \"Over to billing\"",
            "tag conversation 5591 Billing",
            "snooze conversation 5591 until=2030-01-01",
            "conversations search state = snoozed and team_assignee_id = 814865",
            "close conversation 5591 \"Solved\"",
            "conversations search state = closed and admin_assignee_id = 991267459",
            "untag conversation 5591 billing",
            "reply conversation 5591 \"Thanks!\" as=user",
            "open conversation 5591 admin=991267460",
            "conversations all",
            #"{"op":"get_conversations","per_page":1}"#,
            "conversation 5591",
            "close conversation 9999",
            "assign conversation 5591 to=Nobody",
            "conversations search sate = open",
        ]
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let outcome = try await ExecutableRunner.run([], input: lines.joined(separator: "\n") + "\n", environment: server.restClientEnvironment())
            let byLine = try Self.records(outcome.standardOutput)
            func result(_ line: Int) -> JSONValue? { byLine[line]?.first?["result"] }
            func error(_ line: Int) -> JSONValue? { byLine[line]?.first?["error"] }
            let context = outcome.standardOutput + outcome.standardError
            #expect(result(1)?["type"] == "conversation" && result(1)?["id"] == "5591", "\(context)")
            let parts = { (line: Int) in result(line)?["conversation_parts"]?["conversation_parts"]?.arrayValue ?? [] }
            #expect(parts(2).last?["part_type"] == "comment" && parts(2).last?["author"]?["name"] == "Ada Admin", "\(parts(2).last ?? .null)")
            #expect(parts(3).last?["part_type"] == "note" && parts(3).last?["author"]?["name"] == "Bob Builder")
            #expect(result(4)?["admin_assignee_id"] == 991_267_459, "to=me is the token's admin")
            #expect(result(5)?["team_assignee_id"] == 814_865 && result(5)?["admin_assignee_id"] == 991_267_459, "an id no admin has is a team's")
            #expect(result(6)?["type"] == "tag" && result(6)?["name"] == "Billing")
            #expect(result(7)?["state"] == "snoozed" && result(7)?["snoozed_until"] == 1_893_456_000)
            #expect(byLine[8]?.count == 1 && result(8)?["id"] == "5591", "search finds the snoozed conversation")
            #expect(result(9)?["state"] == "closed" && result(9)?["open"] == false)
            #expect(byLine[10]?.count == 1 && result(10)?["state"] == "closed")
            #expect(result(11)?["name"] == "Billing", "untag finds the tag regardless of case")
            #expect(parts(12).last?["author"]?["type"] == "user" && result(12)?["state"] == "open", "the user's reply reopens it")
            #expect(parts(13).last?["part_type"] == "open" && parts(13).last?["author"]?["name"] == "Bob Builder")
            #expect(byLine[14]?.count == 1 && result(14)?["conversation_parts"] == nil, "conversations all: one record per conversation")
            #expect(result(15)?["type"] == "conversation.list")
            #expect(result(16)?["tags"]?["tags"]?.arrayValue?.isEmpty == true)
            #expect(error(17)?["type"] == "not_found" && error(17)?["message"]?.stringValue?.contains("conversation 9999") == true)
            #expect(error(18)?["type"] == "invalid_input" && error(18)?["message"]?.stringValue?.contains("Nobody") == true)
            #expect(error(19)?["type"] == "invalid_input" && error(19)?["message"]?.stringValue?.contains("sate") == true)
            // One request a line, but: GET /me before the first admin action, GET /admins before the first admin named
            // (bob@…), POST /tags before tagging, GET /conversations/5591 before the user's reply; untag knows the tag.
            let requests = try #require(Self.requests(outcome.standardError), "\(outcome.standardError)")
            #expect(requests == 21, "GET /me and GET /admins once each: \(outcome.standardError)")
            #expect(outcome.status == 1)
        }
    }

    @Test("a table of a conversation lists its parts; v1 answers unsupported naming the REST API 2.x")
    func tableAndV1() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let outcome = try await ExecutableRunner.run(
                ["--output", "table"], input: "note conversation 5591 \"checked\"\nconversation 5591\n", environment: server.restClientEnvironment())
            #expect(outcome.standardOutput.contains("part_type") && outcome.standardOutput.contains("note"), "\(outcome.standardOutput)")
            #expect(outcome.standardOutput.contains("(conversation 5591, open"), "\(outcome.standardOutput)")
        }
        let v1 = try await ExecutableRunner.run(["--sandbox", "-c", "close conversation 5591"])
        let refusal = try Self.records(v1.standardOutput)[1]?.first
        #expect(refusal?["error"]?["type"] == "unsupported" && refusal?["error"]?["message"]?.stringValue?.contains("REST API 2.x") == true, "\(v1.standardOutput)")
    }
}

extension ConversationCommandsTests {
    @Test("with answers dropped after processing, a close or assign with a message is posted at most once, and each line gets one record")
    func messagesUnderDroppedAnswers() async throws {
        let faults = try FaultPlan(parsing: "drop-after=30%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: faults)) { server, _ in
            let lines = (1...12).flatMap { ["close conversation 5591 \"closing c\($0)\"", "assign conversation 5591 to=me \"passing a\($0)\""] }
            let outcome = try await ExecutableRunner.run(
                ["--retries", "10"], input: lines.joined(separator: "\n") + "\n", environment: server.restClientEnvironment())
            let byLine = try Self.records(outcome.standardOutput)
            #expect((1...lines.count).allSatisfy { byLine[$0]?.count == 1 }, "one record per line: \(outcome.standardOutput)")
            let read = try await ExecutableRunner.run(["--retries", "20", "-c", "conversation 5591"], environment: server.restClientEnvironment())
            let parts = try Self.records(read.standardOutput)[1]?.first?["result"]?["conversation_parts"]?["conversation_parts"]?.arrayValue ?? []
            try #require(!parts.isEmpty, "\(read.standardOutput)\(read.standardError)")
            let bodies = parts.compactMap { $0["body"]?.stringValue }
            for (index, line) in lines.enumerated() {
                let text = String(line.split(separator: "\"")[1])
                let posted = bodies.filter { $0.contains(">\(text)<") }.count
                #expect(posted <= 1, "\(text) posted \(posted) times")
                let record = byLine[index + 1]?.first
                if record?["ok"] == true { #expect(posted == 1, "\(text): ok but posted \(posted) times") }
                if posted == 0 { #expect(record?["ok"] == false, "\(text): not posted, yet ok") }
                if record?["ok"] == false {
                    #expect(["unknown_outcome", "connection"].contains(record?["error"]?["type"]?.stringValue ?? ""), "\(record ?? .null)")
                }
            }
        }
    }

    @Test("lines acting as an admin named by name ask GET /admins once, even when they run at the same time")
    func adminsOnceUnderConcurrency() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let messages = (1...8).map { "message 123 \"question \($0)\"" }.joined(separator: "\n") + "\n"
            let started = try await ExecutableRunner.run([], input: messages, environment: server.restClientEnvironment())
            let ids = try Self.records(started.standardOutput).values.compactMap { $0.first?["result"]?["conversation_id"]?.stringValue }
            try #require(ids.count == 8, "\(started.standardOutput)")
            let assigns = ids.map { "assign conversation \($0) to=\"Bob Builder\" admin=ada@sandbox.example.com" }.joined(separator: "\n") + "\n"
            let outcome = try await ExecutableRunner.run(["--concurrency", "8", "-v"], input: assigns, environment: server.restClientEnvironment())
            let records = try Self.records(outcome.standardOutput)
            #expect(records.count == 8 && records.values.allSatisfy { $0.first?["result"]?["admin_assignee_id"] == 991_267_460 }, "\(outcome.standardOutput)")
            let asked = outcome.standardError.components(separatedBy: "GET /admins ->").count - 1
            #expect(asked == 1, "GET /admins asked \(asked) times")
            #expect(!outcome.standardError.contains("GET /me ->"), "admin= named; me is not needed")
        }
    }
}
