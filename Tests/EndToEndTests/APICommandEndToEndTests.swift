import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Synchronization
import Testing

/// `api` through the built executable: every method against the sandbox, each paging style, refusals before
/// sending, the POST retry rule under faults, journal and resume, redaction, and a recording replayed.
@Suite("api end to end")
struct APICommandEndToEndTests {
    static func records(_ output: String) throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    @Test("every method against the sandbox; the result is the answer as sent; unmodelled operations answered from the description")
    func everyMethod() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let script = """
                api POST /contacts email=ann@example.com role=user name=Ann as ann
                api GET /contacts/${ann.id}
                api PUT /contacts/${ann.id} name=Annie
                api POST /contacts/${ann.id}/notes body.body="a note"
                api GET /contacts all per_page=2
                api POST /contacts/search body={"query":{"field":"email","operator":"~","value":"example"},"pagination":{"per_page":1}} all
                api DELETE /contacts/${ann.id}
                api GET /contacts/{contact_id} contact_id=${ann.id}
                api PATCH /data_connectors/1 body.x=1
                api GET /teams
                """
            let outcome = try await ExecutableRunner.run(["--create-attributes"], input: script + "\n", environment: server.restClientEnvironment())
            #expect(outcome.status == 1, "\(outcome.standardError)")
            let records = try Self.records(outcome.standardOutput)
            let byLine = Dictionary(grouping: records) { $0["line"]?.integerValue ?? 0 }
            let id = try #require(byLine[1]?.first?["result"]?["id"]?.stringValue)
            #expect(byLine[1]?.first?["result"]?["type"] == "contact" && byLine[1]?.first?["result"]?["name"] == "Ann")
            #expect(byLine[2]?.first?["result"]?["id"]?.stringValue == id)
            #expect(byLine[3]?.first?["result"]?["name"] == "Annie", "\(byLine[3] ?? [])")
            #expect(byLine[4]?.first?["result"]?["type"] == "note", "\(byLine[4] ?? [])")
            let contactCount = try server.store.statistics().users + 1  // Ann is deleted by line 7
            #expect(byLine[5]?.count == contactCount && byLine[5]?.allSatisfy { $0["result"]?["type"] == "contact" } == true, "\(contactCount)")
            #expect(Set(byLine[5]?.compactMap { $0["result"]?["id"]?.stringValue } ?? []).count == contactCount, "each contact once")
            let searched = byLine[6]?.compactMap { $0["result"]?["email"]?.stringValue } ?? []
            #expect(searched.count >= 2 && searched.allSatisfy { $0.contains("example") }, "\(searched)")
            #expect(byLine[7]?.first?["result"]?["deleted"] == true)
            #expect(byLine[8]?.first?["error"]?["type"] == "not_found")
            #expect(byLine[9]?.first?["result"]?["id"] == "1", "described, with the path's id: \(byLine[9] ?? [])")
            #expect(byLine[10]?.first?["result"]?["teams"]?.arrayValue?.first?["name"] == "Support", "\(byLine[10] ?? [])")
        }
    }

    @Test("unknown paths, missing methods and path parameters are refused before anything is sent")
    func refusedBeforeSending() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration()) { server, _ in
            let script = "api GET /contact/1\napi POST /contacts/abc\napi GET /contacts/{contact_id}\n{\"op\":\"api\",\"method\":\"GET\",\"path\":\"/contacts/..\"}\n"
            let outcome = try await ExecutableRunner.run([], input: script, environment: server.restClientEnvironment())
            #expect(outcome.status == 1)
            let messages = try Self.records(outcome.standardOutput).map { $0["error"]?["message"]?.stringValue ?? "" }
            try #require(messages.count == 4, "\(outcome.standardOutput)")
            #expect(messages[0].contains("nearest: /contacts/{contact_id}"), "\(messages[0])")
            #expect(messages[1] == "/contacts/{contact_id} has no POST; it takes GET, PUT, DELETE")
            #expect(messages[2].contains("path parameter contact_id is missing"))
            #expect(messages[3].contains("cannot be sent"))
            #expect(outcome.standardError.contains("0 requests"), "\(outcome.standardError)")
            #expect(try server.store.statistics().users == 0)
        }
    }

    /// A server that pages in the styles the sandbox does not serve: scroll, next URLs, page numbers, and a cursor
    /// that repeats.
    static func pagingAnswer(_ request: CannedResponseServer.ReceivedRequest, endpoint: String) -> CannedResponseServer.CannedResponse {
        let path = request.uri.split(separator: "?").first.map(String.init) ?? ""
        let query = request.uri.contains("?") ? String(request.uri.split(separator: "?")[1]) : ""
        let body: String
        switch (path.split(separator: "/").last.map(String.init) ?? "", query) {
        case ("scroll", ""): body = #"{"type":"list","data":[{"id":"s1"},{"id":"s2"}],"scroll_param":"p1","total_count":3}"#
        case ("scroll", "scroll_param=p1"): body = #"{"type":"list","data":[{"id":"s3"}],"scroll_param":"p2","total_count":3}"#
        case ("scroll", _): body = #"{"type":"list","data":[],"scroll_param":"p3"}"#
        case ("events", let q) where !q.contains("before"):
            body = #"{"type":"event.list","events":[{"id":"e1"}],"pages":{"next":"\#(endpoint)events?type=user&user_id=7&before=2"}}"#
        case ("events", _): body = #"{"type":"event.list","events":[{"id":"e2"}],"pages":{}}"#
        case ("companies", let q) where q.contains("page=2"): body = #"{"type":"list","data":[{"id":"c2"}],"pages":{"page":2,"total_pages":2}}"#
        case ("companies", _): body = #"{"type":"list","data":[{"id":"c1"}],"pages":{"page":1,"total_pages":2},"total_count":2}"#
        default: body = #"{"type":"list","data":[{"id":"x"}],"pages":{"next":{"starting_after":"same"}}}"#
        }
        return CannedResponseServer.CannedResponse(status: 200, headers: ["Content-Type": "application/json"], body: body)
    }

    @Test("all follows scroll_param, next-page URLs and page numbers; a repeated cursor ends as invalid_response")
    func pagingStyles() async throws {
        let endpoint = Mutex("")
        try await CannedResponseServer.with(answering: { Self.pagingAnswer($0, endpoint: endpoint.withLock { $0 }) }) { server in
            endpoint.withLock { $0 = server.endpoint.absoluteString }
            let script = """
                api GET /companies/scroll all
                api GET /events type=user query.user_id=7 all
                api GET /companies per_page=1 all
                api GET /conversations all
                """
            let outcome = try await ExecutableRunner.run([], input: script + "\n", environment: server.restClientEnvironment())
            let records = try Self.records(outcome.standardOutput)
            let ids = { (line: Int64) in records.filter { $0["line"]?.integerValue == line }.compactMap { $0["result"]?["id"]?.stringValue } }
            #expect(ids(1) == ["s1", "s2", "s3"], "\(outcome.standardOutput)")
            #expect(ids(2) == ["e1", "e2"])
            #expect(ids(3) == ["c1", "c2"])
            let looped = records.filter { $0["line"] == 4 }
            #expect(looped.count == 2 && looped.last?["error"]?["type"] == "invalid_response", "the repeated item left out: \(looped)")
            #expect(outcome.status == 1)
            let uris = server.receivedRequests.map(\.uri)
            #expect(uris.contains { $0.hasSuffix("/events?type=user&user_id=7&before=2") }, "\(uris)")
            #expect(uris.filter { $0.contains("scroll") }.count == 3)
        }
    }

    @Test("under faults a POST is never sent twice: each ends ok or unknown_outcome; GET and PUT are retried to success")
    func postRetryRule() async throws {
        let faults = try FaultPlan(parsing: "503=10%,429=3%,drop-before=4%,drop-after=5%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo, faults: faults)) { server, _ in
            var lines: [String] = []
            for index in 0..<120 {
                lines.append("api POST /contacts email=f\(index)@example.com role=user")
                lines.append("api GET /contacts/find_by_external_id/123")
            }
            let outcome = try await ExecutableRunner.run(["--retries", "10"], input: lines.joined(separator: "\n") + "\n", environment: server.restClientEnvironment())
            let records = try Self.records(outcome.standardOutput)
            #expect(records.map { $0["line"]?.integerValue ?? 0 } == Array(1...Int64(lines.count)))
            let posts = records.filter { ($0["line"]?.integerValue ?? 0) % 2 == 1 }
            let reads = records.filter { ($0["line"]?.integerValue ?? 0) % 2 == 0 }
            #expect(reads.allSatisfy { $0["ok"] == true }, "\(reads.filter { $0["ok"] == false })")
            let ok = posts.filter { $0["ok"] == true }.count
            let unknown = posts.filter { $0["error"]?["type"] == "unknown_outcome" }.count
            #expect(ok + unknown == posts.count, "\(posts.filter { $0["ok"] == false && $0["error"]?["type"] != "unknown_outcome" })")
            #expect(unknown > 0, "the faults left some outcome open")
            let stored = try server.store.statistics().users - 3
            #expect(stored >= ok && stored <= ok + unknown, "\(stored) stored, \(ok) ok, \(unknown) unknown")
        }
    }

    @Test("kill -9 in a journaled api import, then --resume: every line once, no POST sent twice")
    func killedAndResumed() async throws {
        let lines = (0..<600).map { "api POST /contacts email=k\($0)@example.com role=user" }
        let input = BulkImportTests.temporaryFile("api-input.txt")
        let journal = BulkImportTests.temporaryFile("api-journal.ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        try await SandboxHarness.withSandbox(SandboxConfiguration(faults: try FaultPlan(parsing: "latency=20ms"))) { server, _ in
            let environment = server.restClientEnvironment()
            let firstRecords = try await ExecutableRunner.killed(
                ["--concurrency", "8", "--journal", journal.path], inputFile: input, environment: environment, afterLines: 150)
            #expect(firstRecords.count >= 150 && firstRecords.count < lines.count)
            let resumed = try await ExecutableRunner.run(
                ["--concurrency", "8", "--journal", journal.path, "--resume"], inputFile: input, environment: environment, timeout: .seconds(120))
            let records = try Self.records(resumed.standardOutput)
            let withRecord = Set((firstRecords + records).compactMap { $0["line"]?.integerValue })
            #expect(withRecord == Set(1...Int64(lines.count)), "every line has a record from one run or the other")
            #expect(!records.contains { $0["error"]?["type"] == "conflict" }, "a POST sent again would meet its own contact")
            let unknown = records.filter { $0["error"]?["type"] == "unknown_outcome" }.count
            // Lines whose answers came before the kill but whose records waited behind an earlier line are journaled
            // as started only, so they are unknown too; never a line that printed a record.
            let printed = Set(firstRecords.compactMap { $0["line"]?.integerValue })
            let unknownLines = Set(records.filter { $0["error"]?["type"] == "unknown_outcome" }.compactMap { $0["line"]?.integerValue })
            #expect(unknownLines.isDisjoint(with: printed) && records.filter { $0["ok"] == false }.count == unknown, "\(unknown) unknown")
            let stored = try server.store.statistics().users
            #expect(stored <= lines.count && stored >= lines.count - unknown, "\(stored)")
        }
    }

    @Test("a server that echoes the token in a 200 body: the answer is shown with the token redacted, in every format")
    func redaction() async throws {
        let token = "tok_live_echoed_0123456789abcdef"
        try await CannedResponseServer.with(answering: { request in
            let echoed = request.headers["authorization"] ?? ""
            return .init(status: 200, headers: ["Content-Type": "application/json"], body: #"{"type":"admin","id":"1","name":"admin \#(echoed)","seen":"\#(echoed)"}"#)
        }) { server in
            for format in ["ndjson", "pretty", "table"] {
                let outcome = try await ExecutableRunner.run(
                    ["--output", format, "--summary", "-c", "api GET /me"], environment: server.restClientEnvironment(token: token))
                #expect(outcome.status == 0, "\(format): \(outcome.standardError)")
                #expect(outcome.standardOutput.contains("admin") && !(outcome.standardOutput + outcome.standardError).contains(token), "\(format)")
            }
        }
    }

    @Test("an api session recorded on the sandbox replays with --check")
    func recordedAndReplayed() async throws {
        let recording = BulkImportTests.temporaryFile("api-recording.ndjson")
        defer { try? FileManager.default.removeItem(at: recording) }
        let session = """
            api POST /tags name=Replayed
            api GET /tags
            api POST /contacts email=rr@example.com role=user as rr
            api PUT /contacts/${rr.id} name=Renamed
            api GET /contacts/{contact_id} contact_id=${rr.id}

            """
        let recorded = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16", "--record", recording.path], input: session)
        #expect(recorded.status == 0, "\(recorded.standardOutput)\(recorded.standardError)")
        let replayed = try await ExecutableRunner.run(["replay", "--sandbox", "--api-version", "2.16", "--check", recording.path])
        #expect(replayed.status == 0, "ids in paths are mapped to the new ones: \(replayed.standardOutput)\(replayed.standardError)")
    }

    @Test("a POST to a host whose name does not resolve provably was not sent: a connection failure, retried, never unknown_outcome")
    func unresolvableHost() async throws {
        let environment = [
            "INTERCOM_ENDPOINT": "https://nonexistent.invalid/", "INTERCOM_ACCESS_TOKEN": "dummy-access-token", "INTERCOM_API_VERSION": "2.16",
            "HOME": "/nonexistent",
        ]
        let outcome = try await ExecutableRunner.run(["--retries", "1", "-c", "api POST /tags name=x"], environment: environment)
        let record = try Self.records(outcome.standardOutput).first
        #expect(record?["error"]?["type"] == "connection", "\(outcome.standardOutput)")
        #expect(outcome.standardError.contains("1 retried"), "\(outcome.standardError)")
    }
}
