import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// The REST API 2.x path on a live workspace, tried as a careless user and a lying server would: it touches the
/// right contact, applies nothing twice, and leaks nothing.
@Suite("Safe on a live workspace")
struct LiveWorkspaceSafetyTests {
    static func records(_ output: String) throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    static let json = ["Content-Type": "application/json"]

    static func errorList(_ code: String, _ message: String) -> String {
        #"{"type":"error.list","errors":[{"code":"\#(code)","message":"\#(message)"}]}"#
    }

    /// The REST API headers of a raw request to `server`'s 2.x face.
    static func restHeaders(_ server: SandboxServer) -> [String: String] {
        ["Authorization": "Bearer " + server.configuration.accessToken.revealed, "Intercom-Version": "2.16", "Content-Type": "application/json"]
    }

    @Test("a rename in the same run: delete, find and note by the old email or user_id never reach the renamed contact")
    func renameInRun() async throws {
        let script = """
            create user 910 email=keep910@example.com
            update user 910 email=renamed910@example.com
            delete user keep910@example.com
            note keep910@example.com "to the old email"
            find user email=renamed910@example.com
            create user 920 email=u920@example.com
            update user email=u920@example.com user_id=921
            delete user 920
            find user 921
            """
        let outcome = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16"], input: script + "\n")
        let records = try Self.records(outcome.standardOutput)
        try #require(records.count == 9, "\(outcome.standardOutput)\(outcome.standardError)")
        #expect(records[2]["error"]?["type"] == "not_found", "\(records[2])")
        #expect(records[3]["error"]?["type"] == "not_found", "\(records[3])")
        #expect(records[4]["ok"] == true && records[4]["result"]?["external_id"] == "910", "the renamed contact is still there: \(records[4])")
        #expect(records[6]["result"]?["external_id"] == "921", "\(records[6])")
        #expect(records[7]["error"]?["type"] == "not_found", "\(records[7])")
        #expect(records[8]["ok"] == true && records[8]["result"]?["email"] == "u920@example.com", "\(records[8])")
    }

    @Test("a rename through another client between two lines of one run: the delete finds no contact and deletes nothing")
    func renameByAnotherClient() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration()) { server, _ in
            // One line at a time: each record is written before the next line is read.
            let (process, input, output) = try ExecutableRunner.start(["--concurrency", "1"], environment: server.restClientEnvironment())
            let watchdog = Task.detached {
                try await Task.sleep(for: .seconds(60))
                process.terminate()
            }
            defer { watchdog.cancel() }
            input.write(Data("create user 930 email=a930@example.com\nfind user 930\n".utf8))
            let first = await Self.readLines(output, count: 2)
            let id = try #require(try Self.records(first).last?["result"]?["id"]?.stringValue, "\(first)")
            // Another client changes the contact's external_id while intercom-sh waits for its next line.
            let renamed = try await RawHTTP.send(
                "PUT", server.restEndpoint.absoluteString + "contacts/" + id, basicAuth: nil, headers: Self.restHeaders(server),
                body: #"{"external_id":"931"}"#)
            #expect(renamed.status == 200, "\(renamed.body)")
            input.write(Data("delete user 930\nnote 930 \"stale\"\n".utf8))
            try input.close()
            let rest = try Self.records(await Self.readLines(output, count: 2))
            await onThread { process.waitUntilExit() }
            #expect(rest.map { $0["error"]?["type"] } == ["not_found", "not_found"], "\(rest)")
            let still = try await RawHTTP.send("GET", server.restEndpoint.absoluteString + "contacts/" + id, basicAuth: nil, headers: Self.restHeaders(server))
            #expect(still.status == 200 && still.body.contains(#""external_id":"931""#), "the renamed contact was not deleted: \(still.body)")
            #expect(try server.store.recentNotes(limit: 5).isEmpty)
        }
    }

    /// Reads from `output` until it holds `count` lines (or ends).
    static func readLines(_ output: FileHandle, count: Int) async -> String {
        await onThread {
            var data = Data()
            while data.count(where: { $0 == UInt8(ascii: "\n") }) < count {
                let chunk = output.availableData
                if chunk.isEmpty { break }
                data.append(chunk)
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    @Test("identifiers that cannot be a path segment are refused before sending; a lookup answered with a list acts on nothing")
    func dotSegmentsAndLyingLookups() async throws {
        let list = #"{"type":"list","data":[{"type":"contact","id":"unrelated","external_id":"someone","email":"x@example.com","role":"user"}]}"#
        try await CannedResponseServer.with(.init(status: 200, headers: Self.json, body: list)) { server in
            let input = """
                note .. "hi"
                delete user ..
                find user .
                {"op":"delete_user","user_id":".."}
                note 5 "to whoever the list names"
                delete user 5
                """
            let outcome = try await ExecutableRunner.run(["--yes"], input: input + "\n", environment: server.restClientEnvironment())
            let records = try Self.records(outcome.standardOutput)
            try #require(records.count == 6, "\(outcome.standardOutput)\(outcome.standardError)")
            #expect(records[0..<4].allSatisfy { $0["error"]?["type"] == "invalid_input" }, "\(records)")
            #expect(records[0]["error"]?["message"]?.stringValue?.contains("cannot be sent") == true, "\(records[0])")
            #expect(records[4..<6].allSatisfy { $0["error"]?["type"] == "invalid_response" }, "\(records)")
            #expect(!server.receivedRequests.contains { $0.uri.split(separator: "?")[0].split(separator: "/").contains { $0 == "." || $0 == ".." } })
            #expect(server.receivedRequests.allSatisfy { $0.method == "GET" }, "nothing was written: \(server.receivedRequests.map(\.uri))")
            #expect(outcome.status == 1)
            let dry = try await ExecutableRunner.run(["--dry-run", "-c", "note .. \"hi\""], environment: server.restClientEnvironment())
            #expect(dry.standardOutput.contains("invalid_input") && dry.standardOutput.contains("cannot be sent"), "a dry run says so too: \(dry.standardOutput)")
        }
    }

    @Test("an email shared by a lead and a user names the user, whichever the search lists first; two users are ambiguous")
    func sharedEmail() async throws {
        let lead = #"{"type":"contact","id":"lead1","role":"lead","email":"shared@example.com"}"#
        let user = #"{"type":"contact","id":"user1","role":"user","email":"Shared@Example.com","external_id":"u1"}"#
        let other = #"{"type":"contact","id":"user2","role":"user","email":"shared@example.com","external_id":"u2"}"#
        for (contacts, expected) in [([lead, user], "user1"), ([lead, user, other], nil)] {
            try await CannedResponseServer.with(answering: { request in
                if request.uri.hasSuffix("/contacts/search") {
                    return .init(status: 200, headers: Self.json, body: #"{"type":"list","data":[\#(contacts.joined(separator: ","))]}"#)
                }
                return .init(status: 200, headers: Self.json, body: #"{"type":"note","id":"n1"}"#)
            }) { server in
                let outcome = try await ExecutableRunner.run(["-c", "note shared@example.com \"hi\""], environment: server.restClientEnvironment())
                let notes = server.receivedRequests.filter { $0.uri.hasSuffix("/notes") }.map(\.uri)
                if let expected {
                    #expect(outcome.status == 0 && notes == ["/v1/contacts/\(expected)/notes"], "\(notes) \(outcome.standardOutput)")
                } else {
                    #expect(notes.isEmpty && outcome.standardOutput.contains(#""type":"ambiguous""#), "\(outcome.standardOutput)")
                }
            }
        }
    }

    @Test("reply then mark read: a failed mark leaves a partially_applied record that no failures file or resume sends again")
    func replyIsNeverPostedTwice() async throws {
        try await CannedResponseServer.with(answering: { request in
            if request.method == "POST" { return .init(status: 200, headers: Self.json, body: #"{"type":"conversation","id":"5591"}"#) }
            return .init(status: 403, headers: Self.json, body: Self.errorList("forbidden", "Access denied"))
        }) { server in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-reply-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let failures = directory.appendingPathComponent("failures.ndjson").path
            let journal = directory.appendingPathComponent("journal.ndjson").path
            let line = "reply 123 5591 \"Thanks\" read=true\n"
            let first = try await ExecutableRunner.run(
                ["--failures", failures, "--journal", journal], input: line, environment: server.restClientEnvironment())
            let record = try #require(try Self.records(first.standardOutput).first)
            #expect(record["error"]?["type"] == "partially_applied" && record["error"]?["cause"] == "forbidden", "\(record)")
            #expect(record["error"]?["applied"] == ["POST /conversations/5591/reply"], "\(record)")
            #expect(first.status == 1 && first.standardError.contains("1 partially applied"), "\(first.standardError)")
            #expect(try String(contentsOfFile: failures, encoding: .utf8).isEmpty, "not queued in the failures file")
            let posts = server.receivedRequests.filter { $0.method == "POST" }.count
            let resumed = try await ExecutableRunner.run(
                ["--journal", journal, "--resume-failed"], input: line, environment: server.restClientEnvironment())
            #expect(server.receivedRequests.filter { $0.method == "POST" }.count == posts, "--resume-failed posts nothing: \(resumed.standardOutput)")
        }
    }

    @Test("a journal made with one access token is not resumed with another: exit 2, nothing sent")
    func journalBelongsToOneWorkspace() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration()) { server, _ in
            let journal = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-ws-\(UUID().uuidString).ndjson").path
            defer { try? FileManager.default.removeItem(atPath: journal) }
            let input = "create user 1 email=one@example.com\n"
            let first = try await ExecutableRunner.run(["--journal", journal], input: input, environment: server.restClientEnvironment())
            #expect(first.status == 0, "\(first.standardError)")
            #expect(!(try String(contentsOfFile: journal, encoding: .utf8)).contains(server.configuration.accessToken.revealed))
            let before = try server.store.statistics().users
            var other = server.restClientEnvironment()
            other["INTERCOM_ACCESS_TOKEN"] = "another-workspace-token-0123456789"
            let resumed = try await ExecutableRunner.run(["--journal", journal, "--resume"], input: input, environment: other)
            #expect(resumed.status == 2 && resumed.standardError.contains("another access token"), "\(resumed.standardError)")
            let after = try server.store.statistics().users
            #expect(resumed.standardOutput.isEmpty && after == before)
            let same = try await ExecutableRunner.run(["--journal", journal, "--resume"], input: input, environment: server.restClientEnvironment())
            #expect(same.status == 0, "\(same.standardError)")
        }
    }
}

extension LiveWorkspaceSafetyTests {
    @Test("a token with a CR or a blank is refused when read, naming its source and not itself; a trailing newline is trimmed")
    func credentialsCheckedWhenRead() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(accessToken: "crlf-token-0123456789abcdef")) { server, _ in
            for (token, source) in [("crlf-token-0123456789abcdef\r", "$INTERCOM_ACCESS_TOKEN"), ("crlf-token 0123456789abcdef", "$INTERCOM_ACCESS_TOKEN")] {
                var environment = server.restClientEnvironment()
                environment["INTERCOM_ACCESS_TOKEN"] = token
                let outcome = try await ExecutableRunner.run(["-c", "find user 1"], environment: environment)
                #expect(outcome.status == 3 && outcome.standardError.contains(source), "\(outcome.standardError)")
                #expect(!(outcome.standardError + outcome.standardOutput).contains("0123456789"), "\(outcome.standardError)")
            }
            let flag = try await ExecutableRunner.run(
                ["--access-token", "crlf-token-0123456789abcdef\r", "-c", "find user 1"], environment: server.restClientEnvironment())
            #expect(flag.status == 3 && flag.standardError.contains("--access-token holds a control character"), "\(flag.standardError)")
            var trimmed = server.restClientEnvironment()
            trimmed["INTERCOM_ACCESS_TOKEN"] = "crlf-token-0123456789abcdef\n"
            let outcome = try await ExecutableRunner.run(["-c", "create user 1 email=one@example.com"], environment: trimmed)
            #expect(outcome.status == 0, "\(outcome.standardError + outcome.standardOutput)")
        }
    }

    @Test("--verbose and records keep a token with - . _ ~ + = out, however a path or an echoing proxy encodes it")
    func tokenInEveryEncoding() async throws {
        let token = "tok-en.with_all~kinds+and=0123456789"
        try await SandboxHarness.withSandbox(SandboxConfiguration(accessToken: APIKey(token), seed: .demo)) { server, _ in
            let outcome = try await ExecutableRunner.run(
                ["--verbose", "--trust-input"], input: "find user ${env:INTERCOM_ACCESS_TOKEN}\nfind user email=${env:INTERCOM_ACCESS_TOKEN}\n",
                environment: server.restClientEnvironment())
            #expect(outcome.standardError.contains("GET /contacts/find_by_external_id/***"), "\(outcome.standardError)")
            Self.expectNoToken(token, in: outcome.standardError + outcome.standardOutput)
        }
        // A proxy's page quoting the header, answered as a success (so its text is cut into the message) and as a 502.
        let page = "<html><body>" + String(repeating: "x", count: 40) + " Authorization: Bearer \(token) was refused</body></html>"
        for status in [200, 502] {
            try await CannedResponseServer.with(.init(status: status, headers: ["Content-Type": "text/html"], body: page)) { server in
                let outcome = try await ExecutableRunner.run(
                    ["--retries", "0", "-c", "find user 1"], environment: server.restClientEnvironment(token: token))
                #expect(outcome.status == 1, "\(outcome.standardOutput)")
                if status == 200 { #expect(outcome.standardOutput.contains("Authorization: ***"), "\(outcome.standardOutput)") }
                Self.expectNoToken(token, in: outcome.standardError + outcome.standardOutput)
            }
        }
    }

    /// Fails when `text` holds 8 characters in a row of `token`, raw or percent-encoded.
    static func expectNoToken(_ token: String, in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let forms = [token, IntercomRequest.pathSegment(token), token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token]
        for form in forms {
            let characters = Array(form)
            for start in 0...(characters.count - 8) where text.contains(String(characters[start..<(start + 8)])) {
                Issue.record("part of the token (\(String(characters[start..<(start + 8)]))) leaked: \(text)", sourceLocation: sourceLocation)
                return
            }
        }
    }

    @Test("a write answered with a redirect fails, naming the status and Location; nothing is followed")
    func redirectIsNotFollowed() async throws {
        try await CannedResponseServer.with(.init(status: 302, headers: ["Location": "/v1/contacts"], body: "")) { server in
            let outcome = try await ExecutableRunner.run(
                ["--retries", "0", "-c", "create user 1 email=one@example.com"], environment: server.restClientEnvironment())
            let record = try #require(try Self.records(outcome.standardOutput).first)
            let message = record["error"]?["message"]?.stringValue ?? ""
            #expect(record["ok"] == false && message.contains("302") && message.contains("/v1/contacts"), "\(record)")
            #expect(server.receivedRequests.map(\.method) == ["POST"], "\(server.receivedRequests.map(\.uri))")
            #expect(outcome.status == 1)
        }
        try await CannedResponseServer.with(.init(status: 301, headers: ["Location": "/v1/elsewhere"], body: "")) { server in
            let outcome = try await ExecutableRunner.run(["--retries", "0", "-c", "find user 1"], environment: server.restClientEnvironment())
            #expect(outcome.standardOutput.contains("301"), "\(outcome.standardOutput)")
            #expect(server.receivedRequests.count == 1, "a read is not followed either")
        }
    }
}

extension LiveWorkspaceSafetyTests {
    @Test("archive and unarchive of one contact by id= keep their order at default concurrency")
    func orderByContactID() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration()) { server, _ in
            let created = try await ExecutableRunner.run(["-c", "create user 940 email=a940@example.com"], environment: server.restClientEnvironment())
            let id = try #require(try Self.records(created.standardOutput).first?["result"]?["id"]?.stringValue)
            let pairs = (1...20).map { _ in "archive user id=\(id)\nunarchive user id=\(id)" }.joined(separator: "\n")
            let outcome = try await ExecutableRunner.run([], input: pairs + "\n", environment: server.restClientEnvironment())
            #expect(outcome.status == 0, "\(outcome.standardOutput)")
            let check = try await ExecutableRunner.run(["-c", "find user id=\(id)"], environment: server.restClientEnvironment())
            #expect(check.status == 0, "the last line, an unarchive, was applied last: \(check.standardOutput)")
        }
    }

    @Test("a cursor that cycles ends users all with invalid_response: the records stay, the exit status is not 0")
    func cyclingCursor() async throws {
        try await CannedResponseServer.with(answering: { request in
            let next = request.uri.contains("starting_after=B") ? "A" : request.uri.contains("starting_after=A") ? "B" : "A"
            let id = request.uri.contains("starting_after") ? next.lowercased() : "first"
            let body = #"{"type":"list","data":[{"type":"contact","id":"\#(id)"}],"total_count":3,"pages":{"next":{"starting_after":"\#(next)"}}}"#
            return .init(status: 200, headers: Self.json, body: body)
        }) { server in
            let outcome = try await ExecutableRunner.run(["-c", "users all"], environment: server.restClientEnvironment(), timeout: .seconds(30))
            let records = try Self.records(outcome.standardOutput)
            #expect(records.count == 4 && records.last?["error"]?["type"] == "invalid_response", "\(records)")
            #expect(outcome.status == 1 && server.receivedRequests.count == 3)
        }
    }

    @Test("a walk that ends short of total_count says so in the summary")
    func shortWalk() async throws {
        let body = #"{"type":"list","data":[{"type":"contact","id":"1"},{"type":"contact","id":"2"}],"total_count":5,"pages":{}}"#
        try await CannedResponseServer.with(.init(status: 200, headers: Self.json, body: body)) { server in
            let outcome = try await ExecutableRunner.run(["--summary", "-c", "users all"], environment: server.restClientEnvironment())
            #expect(outcome.standardError.contains("short walk: line 1, all_users: 2 of the 5 items total_count reported"), "\(outcome.standardError)")
            #expect(outcome.standardOutput.contains(#""short_walks":["line 1, all_users: 2 of the 5"#), "\(outcome.standardOutput)")
        }
    }

    @Test("the sandbox pages past archived contacts: 7 contacts, one archived, per_page=2 gives 6")
    func sandboxPagesPastArchived() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration()) { server, _ in
            let creates = (1...7).map { "create user p\($0) email=p\($0)@example.com" }.joined(separator: "\n")
            let outcome = try await ExecutableRunner.run(
                [], input: creates + "\narchive user p2\nusers all per_page=2\n", environment: server.restClientEnvironment())
            let records = try Self.records(outcome.standardOutput)
            #expect(records.count == 14 && outcome.status == 0, "\(outcome.standardOutput)\(outcome.standardError)")
            #expect(!records.dropFirst(8).contains { $0["result"]?["external_id"] == "p2" })
        }
    }

    @Test("search takes custom_attributes.NAME typed by the workspace, key=\"quoted value\" and groups as written")
    func searchAsDocumented() async throws {
        let script = """
            create user s1 email=s1@example.com name="Ben McRedmond" custom_data.plan=pro custom_data.seats=5
            create user s2 email=s2@example.com name="Ann" custom_data.plan=team custom_data.seats=9
            search users custom_attributes.plan = pro
            search users name="Ben McRedmond"
            search users custom_attributes.seats = "9"
            search users custom_attributes.nope = 1
            {"op":"search_users","query":{"field":"custom_attributes.plan","operator":"=","value":"team"}}
            search users (email ~ s1 or email ~ s2 or email ~ s3 or email ~ s4 or email ~ s5 or email ~ s6 or email ~ s7 or email ~ s8) and (name ~ a or name ~ b or name ~ c or name ~ d or name ~ e or name ~ f or name ~ g or name ~ h)
            """
        let outcome = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16", "--create-attributes"], input: script + "\n")
        let records = try Self.records(outcome.standardOutput)
        let byLine = Dictionary(grouping: records) { $0["line"]?.integerValue ?? 0 }
        #expect(byLine[3]?.map { $0["result"]?["external_id"] } == ["s1"], "\(outcome.standardOutput)")
        #expect(byLine[4]?.map { $0["result"]?["external_id"] } == ["s1"], "\(String(describing: byLine[4]))")
        #expect(byLine[5]?.map { $0["result"]?["external_id"] } == ["s2"], "a number typed for a number attribute: \(String(describing: byLine[5]))")
        #expect(byLine[6]?.first?["error"]?["type"] == "invalid_input", "\(String(describing: byLine[6]))")
        #expect(byLine[6]?.first?["error"]?["message"]?.stringValue?.contains("no custom attribute 'nope'") == true)
        #expect(byLine[7]?.map { $0["result"]?["external_id"] } == ["s2"], "\(String(describing: byLine[7]))")
        #expect(Set(byLine[8]?.compactMap { $0["result"]?["external_id"]?.stringValue } ?? []) == ["s1", "s2"], "\(String(describing: byLine[8]))")
    }
}

extension LiveWorkspaceSafetyTests {
    @Test("every line of a stream has quotes and one has a stray one: it alone fails, naming its line, and every other line runs")
    func strayQuoteInAStream() async throws {
        let lines = (1...6).map { "create user q\($0) name=\"Person \($0)\" email=\"q\($0)@example.com\"" }
        var input = lines
        input.insert(#"find user "unterminated"#, at: 2)
        let outcome = try await ExecutableRunner.run(["--sandbox"], input: input.joined(separator: "\n") + "\n")
        let records = try Self.records(outcome.standardOutput)
        #expect(records.map { $0["line"]?.integerValue ?? 0 } == Array(1...7), "\(outcome.standardOutput)")
        #expect(records[2]["error"]?["type"] == "invalid_input" && records[2]["error"]?["message"]?.stringValue?.hasPrefix("3:") == true, "\(records[2])")
        #expect(records.filter { $0["ok"] == true }.count == 6)
        #expect(outcome.status == 1)
    }

    @Test("replay runs through the engine: --create-attributes defines what a fresh 2.x sandbox lacks, and a full disk is exit 4")
    func replayThroughTheEngine() async throws {
        let recording = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-replay-\(UUID().uuidString).ndjson")
        defer { try? FileManager.default.removeItem(at: recording) }
        let session = "create user r1 email=r1@example.com custom_data.plan=pro\nfind user r1\n"
        let recorded = try await ExecutableRunner.run(
            ["--sandbox", "--api-version", "2.16", "--create-attributes", "--record", recording.path], input: session)
        #expect(recorded.status == 0, "\(recorded.standardOutput)")
        let bare = try await ExecutableRunner.run(["replay", "--sandbox", "--api-version", "2.16", recording.path])
        #expect(bare.status == 1, "without --create-attributes the attribute is missing: \(bare.standardOutput)")
        let replayed = try await ExecutableRunner.run(
            ["replay", "--sandbox", "--api-version", "2.16", "--create-attributes", "--retries", "2", "--check", recording.path])
        #expect(replayed.status == 0, "\(replayed.standardOutput + replayed.standardError)")
        let process = Process()
        process.executableURL = RepositoryPaths.executable
        process.arguments = ["replay", "--sandbox", "--api-version", "2.16", "--create-attributes", recording.path]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        process.standardError = FileHandle.nullDevice
        try process.run()
        await onThread { process.waitUntilExit() }
        #expect(process.terminationStatus == 4, "a write that fails is not swallowed")
    }

    @Test("the sandbox's 2.x face refuses a body that is not UTF-8, as its v1 face does")
    func sandboxRefusesInvalidUTF8() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration()) { server, _ in
            let bytes = Array(#"{"role":"user","email":"u@example.com","name":"bad "#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
            let answer = try await RawHTTP.send(
                "POST", server.restEndpoint.absoluteString + "contacts", basicAuth: nil, headers: Self.restHeaders(server), bodyBytes: bytes)
            #expect(answer.status == 400 && answer.body.contains("UTF-8"), "\(answer.body)")
            #expect(try server.store.statistics().users == 0)
        }
    }
}
