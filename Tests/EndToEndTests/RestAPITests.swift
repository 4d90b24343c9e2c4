import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// The built executable on the REST API (2.x): the same commands and NDJSON operations, against the sandbox's 2.x face.
@Suite("REST API (2.x) end to end")
struct RestAPITests {
    static func records(_ output: String) throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    static func stats(_ server: SandboxServer) async throws -> JSONValue {
        try JSONValue(parsing: try await RawHTTP.send("GET", server.endpoint.absoluteString.replacingOccurrences(of: "/v1/", with: "/_sandbox/stats")).body)
    }

    @Test("every contact command on --sandbox --api-version 2.16; impression is a clear unsupported failure")
    func commandsOnTheEmbeddedSandbox() async throws {
        let script = """
            create user 7902 email=ben@example.com name=Ben custom_data.plan=pro created_at=1257553080
            find user 7902
            find user email=BEN@example.com
            update user 7902 name=Guido
            note 7902 "This is a note"
            event sent-invite user_id=7902 metadata.invite_code=ADDAFRIEND
            impression 7902 user_ip=2.3.4.5
            users per_page=2 page=2
            delete user 7902
            find user 7902
            {"op":"create_user","user_id":"abc123","name":"Renamed"}
            """
        let outcome = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16", "--create-attributes"], input: script + "\n")
        let records = try Self.records(outcome.standardOutput)
        try #require(records.count == 11, "\(outcome.standardOutput)\n\(outcome.standardError)")
        #expect(outcome.status != 0)
        let created = records[0]["result"]
        #expect(records[0]["ok"] == true && created?["type"] == "contact" && created?["external_id"] == "7902", "\(records[0])")
        #expect(created?["custom_attributes"]?["plan"] == "pro" && created?["signed_up_at"] == 1_257_553_080)
        #expect(records[1]["result"]?["id"] == created?["id"] && records[2]["result"]?["id"] == created?["id"])
        #expect(records[3]["result"]?["name"] == "Guido")
        #expect(records[4]["ok"] == true && records[4]["result"]?["body"] == "<p>This is a note</p>")
        #expect(records[5]["ok"] == true && records[5]["op"] == "create_event")
        #expect(records[6]["ok"] == false && records[6]["error"]?["type"] == "unsupported", "\(records[6])")
        #expect(records[6]["error"]?["message"]?.stringValue?.contains("no counterpart") == true)
        #expect(records[7]["result"]?["type"] == "list" && records[7]["result"]?["pages"]?["page"] == 2)
        #expect(records[8]["result"]?["deleted"] == true)
        #expect(records[9]["ok"] == false && records[9]["error"]?["type"] == "not_found")
        #expect(records[10]["ok"] == true && records[10]["result"]?["name"] == "Renamed" && records[10]["result"]?["email"] == "abc123@example.com")
    }

    @Test("create user of an existing contact is an upsert through 409 (two calls); a directory id is checked before use")
    func upsertThroughConflictAndDirectory() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let input = """
                {"op":"create_user","user_id":"123","name":"Somebody Else"}
                {"op":"create_note","user_id":"123","body":"first"}
                {"op":"create_note","email":"somebody@example.com","body":"second"}
                {"op":"get_user","user_id":"123"}
                """
            let outcome = try await ExecutableRunner.run([], input: input + "\n", environment: server.restClientEnvironment())
            #expect(outcome.status == 0, "\(outcome.standardOutput)\(outcome.standardError)")
            let records = try Self.records(outcome.standardOutput)
            #expect(records.allSatisfy { $0["ok"] == true }, "\(records)")
            #expect(records[0]["result"]?["name"] == "Somebody Else" && records[0]["result"]?["email"] == "somebody@example.com")
            // POST (409) + PUT; then each note checks the directory's id (GET, no search lag for the email) and
            // posts, and the get is the check itself. The sandbox counts the stats request itself as an eighth.
            #expect(try await Self.stats(server)["requests"] == 8)
            #expect(outcome.standardError.contains("7 requests"), "\(outcome.standardError)")
        }
    }

    @Test("tags on 2.x: tag (one POST for all), find tag, users tag_name=…, untag (per contact), dry run")
    func tagsEndToEnd() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let script = """
                tag VIP 123 abc123@example.com nobody
                find tag vip
                users tag_name="Free Trial"
                untag "Free Trial" abc123
                users all tag_name="Free Trial"
                """
            let outcome = try await ExecutableRunner.run([], input: script + "\n", environment: server.restClientEnvironment())
            #expect(outcome.status == 0, "\(outcome.standardOutput)\(outcome.standardError)")
            let records = try Self.records(outcome.standardOutput)
            try #require(records.count == 5, "\(records)")
            #expect(records[0]["result"]?["users"]?.arrayValue?.count == 2 && records[0]["result"]?["not_found"] == ["user_id=nobody"], "\(records[0])")
            #expect(records[1]["result"]?["name"] == "VIP" && records[1]["result"]?["id"] == records[0]["result"]?["id"])
            #expect(records[2]["result"]?["data"]?.arrayValue?.compactMap { $0["external_id"]?.stringValue }.sorted() == ["abc123", "def456"])
            #expect(records[3]["result"]?["users"]?.arrayValue?.count == 1)
            #expect(records[4]["result"]?["external_id"] == "def456")
            let contact = try await RawHTTP.send(
                "GET", server.restEndpoint.absoluteString + "contacts/find_by_external_id/123", basicAuth: nil,
                headers: ["Authorization": "Bearer dummy-access-token"])
            #expect(contact.body.contains("\"total_count\":1"), "\(contact.body)")

            let dryRun = try await ExecutableRunner.run(["--dry-run", "-c", "note 123 hello"], environment: server.restClientEnvironment())
            let described = try Self.records(dryRun.standardOutput).first?["result"]?["dry_run"]
            #expect(described?["path"] == "contacts/find_by_external_id/123" && described?["then"] != nil, "\(dryRun.standardOutput)")
        }
    }

    @Test("message threads on 2.x are conversations: message, threads, thread, reply with read=true")
    func conversationsEndToEnd() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let script = """
                message somebody@example.com "Hey Intercom, What is up?"
                threads somebody@example.com
                reply 123 5592 "Not much" read=true
                thread 123 5592
                reply 123 5591 read=false
                thread 123 999999
                """
            let outcome = try await ExecutableRunner.run([], input: script + "\n", environment: server.restClientEnvironment())
            let records = try Self.records(outcome.standardOutput)
            try #require(records.count == 6, "\(outcome.standardOutput)\(outcome.standardError)")
            #expect(records[0]["result"]?["type"] == "user_message" && records[0]["result"]?["body"] == "<p>Hey Intercom, What is up?</p>", "\(records[0])")
            // The demo seed holds thread 5591; the new conversation is 5592.
            #expect(records[0]["result"]?["conversation_id"] == "5592")
            let listed = records[1]["result"]?["conversations"]?.arrayValue ?? []
            #expect(records[1]["result"]?["type"] == "conversation.list" && listed.count == 2, "\(records[1])")
            #expect(listed.last?["id"] == records[0]["result"]?["conversation_id"])
            let replied = records[2]["result"]
            #expect(replied?["read"] == true && replied?["conversation_parts"]?["total_count"] == 1, "\(records[2])")
            #expect(records[3]["result"]?["conversation_parts"]?["conversation_parts"]?.arrayValue?.first?["body"] == "<p>Not much</p>")
            #expect(records[3]["result"]?["source"]?["body"] == "<p>Hey Intercom, What is up?</p>")
            #expect(records[4]["ok"] == true && records[4]["result"]?["read"] == false, "\(records[4])")
            #expect(records[5]["ok"] == false && records[5]["error"]?["type"] == "not_found")
        }
    }

    @Test("custom attributes: an undefined one is refused, naming it; --create-attributes defines it (type from the value)")
    func customAttributes() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let refused = try await ExecutableRunner.run(
                ["-c", "create user c1 custom_data.seats=5"], environment: server.restClientEnvironment())
            #expect(refused.status == 1)
            #expect(refused.standardOutput.contains("client_error") && refused.standardOutput.contains("'seats'"), "\(refused.standardOutput)")
            let defined = try await ExecutableRunner.run(
                ["--create-attributes", "--concurrency", "1"],
                input: "create user c1 custom_data.seats=5 custom_data.app_name=Genesis\ncreate user c2 custom_data.plan=pro custom_data.trial=true\n",
                environment: server.restClientEnvironment())
            #expect(defined.status == 0, "\(defined.standardOutput)\(defined.standardError)")
            // One list of the workspace's attributes for the run; app_name (from the v1 seed) was defined already.
            #expect(defined.standardError.contains("6 requests"), "\(defined.standardError)")
            let attributes = try JSONValue(parsing: try await RawHTTP.send(
                "GET", server.restEndpoint.absoluteString + "data_attributes?model=contact", basicAuth: nil,
                headers: ["Authorization": "Bearer dummy-access-token"]).body)
            let types = Dictionary(uniqueKeysWithValues: (attributes["data"]?.arrayValue ?? []).compactMap { item in
                item["name"]?.stringValue.map { ($0, item["data_type"]?.stringValue ?? "") }
            })
            #expect(types["seats"] == "integer" && types["plan"] == "string" && types["trial"] == "boolean" && types["app_name"] == "string", "\(types)")
        }
    }

    @Test("2.x-only commands: archive user, unarchive user (by a known or given id), search users, events; v1 says unsupported")
    func restOnlyCommands() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let script = """
                archive user abc123
                find user abc123
                unarchive user abc123
                search users email ~ example.com and (name ^ Abc or external_id = 123) per_page=1
                event signed-in 123 created=1700000000
                events 123
                archive user def456
                """
            let outcome = try await ExecutableRunner.run([], input: script + "\n", environment: server.restClientEnvironment())
            let records = try Self.records(outcome.standardOutput)
            try #require(records.count == 8, "\(outcome.standardOutput)\(outcome.standardError)")
            #expect(records[0]["result"]?["archived"] == true, "\(records[0])")
            #expect(records[1]["ok"] == false && records[1]["error"]?["type"] == "not_found")
            #expect(records[2]["result"]?["archived"] == false, "\(records[2])")
            let found = records[3...4].compactMap { $0["result"]?["external_id"]?.stringValue }
            #expect(records[3]["op"] == "search_users" && found.sorted() == ["123", "abc123"], "\(records)")
            let summary = records[6]["result"]?["events"]?.arrayValue?.first
            #expect(summary?["name"] == "signed-in" && summary?["count"] == 1 && summary?["first"] == "2023-11-14T22:13:20.000+00:00", "\(records[6])")
            let archivedID = try #require(records[7]["result"]?["id"]?.stringValue)

            let fresh = try await ExecutableRunner.run(
                [], input: "unarchive user def456\nunarchive user id=\(archivedID)\n", environment: server.restClientEnvironment())
            let again = try Self.records(fresh.standardOutput)
            #expect(again[0]["ok"] == false && again[0]["error"]?["message"]?.stringValue?.contains("id=") == true, "\(again[0])")
            #expect(again[1]["result"]?["archived"] == false, "\(again[1])")
        }
        let v1 = try await ExecutableRunner.run(["--sandbox", "-c", "events 123"])
        #expect(v1.standardOutput.contains(#""type":"unsupported""#), "\(v1.standardOutput)")
    }

    @Test("a journal on 2.x: --resume of a finished import sends nothing again")
    func journalAndResume() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-rest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = directory.appendingPathComponent("import.journal").path
        try await SandboxHarness.withSandbox { server, _ in
            let lines = (1...6).flatMap { [#"{"op":"create_user","user_id":"j\#($0)"}"#, #"{"op":"create_note","user_id":"j\#($0)","body":"n"}"#] }
            let input = lines.joined(separator: "\n") + "\n"
            let first = try await ExecutableRunner.run(["--journal", journal], input: input, environment: server.restClientEnvironment())
            #expect(first.status == 0, "\(first.standardError)")
            let requests = try await Self.stats(server)["requests"]?.integerValue ?? -1
            let resumed = try await ExecutableRunner.run(["--journal", journal, "--resume"], input: input, environment: server.restClientEnvironment())
            #expect(resumed.status == 0, "\(resumed.standardError)")
            #expect(try await Self.stats(server)["requests"]?.integerValue == requests + 1, "only the stats request itself")
            #expect(try server.store.statistics().notes == 6)
        }
    }

    @Test("under search lag a new contact is used by email at once: the create's answer, not a search, names its id")
    func searchLagDoesNotHurt() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(searchDelay: .seconds(600))) { server, _ in
            let script = """
                create user email=lag@example.com name=Lag
                note lag@example.com "right after the create"
                update user lag@example.com name=Lagged
                """
            let outcome = try await ExecutableRunner.run([], input: script + "\n", environment: server.restClientEnvironment())
            #expect(outcome.status == 0, "\(outcome.standardOutput)\(outcome.standardError)")
            let records = try Self.records(outcome.standardOutput)
            #expect(records.count == 3 && records.allSatisfy { $0["ok"] == true }, "\(records)")
            #expect(records.last?["result"]?["name"] == "Lagged")
            #expect(try server.store.statistics().users == 1)
            let fresh = try await ExecutableRunner.run(["-c", "find user email=lag@example.com"], environment: server.restClientEnvironment())
            #expect(fresh.standardOutput.contains("searchable yet"), "a new run has only the search, which lags: \(fresh.standardOutput)")
        }
    }

    @Test("find user of a merged contact follows the 410's Link to the contact it was merged into")
    func mergedContactIsFollowed() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, client in
            let rest = server.restEndpoint.absoluteString
            let bearer = ["Authorization": "Bearer dummy-access-token", "Content-Type": "application/json"]
            let merged = try await RawHTTP.send(
                "POST", rest + "contacts/merge", basicAuth: nil, headers: bearer,
                body: #"{"from":"528f27c330972d7836000072","into":"528f291df8d4a41d8c000088"}"#)
            #expect(merged.status == 200, "\(merged.body)")
            let gone = try await RawHTTP.send("GET", rest + "contacts/find_by_external_id/def456", basicAuth: nil, headers: bearer)
            #expect(gone.status == 410 && gone.headers.first { $0.key.lowercased() == "link" }?.value == #"</contacts/528f291df8d4a41d8c000088>; rel="canonical""#)
            let outcome = try await ExecutableRunner.run(["-c", "find user def456"], environment: server.restClientEnvironment())
            #expect(outcome.status == 0, "\(outcome.standardOutput)")
            #expect(outcome.standardOutput.contains(#""external_id":"123""#), "\(outcome.standardOutput)")
        }
    }

    @Test("a session recorded on 2.x replays with --check against a fresh sandbox: every result matches")
    func recordAndReplay() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("session.ish")
        try "create user 7902 email=ben@example.com name=Ben\nfind user 7902\nnote 7902 hi\ntag VIP 7902\nmessage 7902 hello\n"
            .write(to: script, atomically: true, encoding: .utf8)
        let recording = directory.appendingPathComponent("session.ndjson").path
        let recorded = try await ExecutableRunner.run(["run", "--sandbox", "--api-version", "2.16", "--record", recording, script.path])
        #expect(recorded.status == 0, "\(recorded.standardError)")
        let replayed = try await ExecutableRunner.run(["replay", "--sandbox", "--api-version", "2.16", "--check", recording])
        #expect(replayed.status == 0 && replayed.standardError.contains("every result matches"), "\(replayed.standardError)")
    }

    @Test("find user id=… takes the Intercom id on 2.x (one call); v1 answers unsupported")
    func findByIntercomID() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let outcome = try await ExecutableRunner.run(["-c", "find user id=528f291df8d4a41d8c000088"], environment: server.restClientEnvironment())
            #expect(outcome.standardOutput.contains(#""external_id":"123""#) && outcome.standardError.contains("1 request"), "\(outcome.standardError)")
            let missing = try await ExecutableRunner.run(["-c", "find user id=000000000000000000000000"], environment: server.restClientEnvironment())
            #expect(missing.standardOutput.contains(#""type":"not_found""#), "\(missing.standardOutput)")
        }
        let v1 = try await ExecutableRunner.run(["--sandbox", "-c", "find user id=528f291df8d4a41d8c000088"])
        #expect(v1.standardOutput.contains(#""type":"unsupported""#) && v1.standardOutput.contains("2.x"), "\(v1.standardOutput)")
    }

    @Test("after users all a create of an existing contact is still POST, then PUT: a write never rests on a remembered id")
    func usersAllWarmsTheDirectory() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let outcome = try await ExecutableRunner.run(
                ["--summary", "--output", "ndjson"], input: "users all\ncreate user 123 name=Warm\ncreate user abc123@example.com name=Warmer\n",
                environment: server.restClientEnvironment())
            #expect(outcome.status == 0, "\(outcome.standardOutput)\(outcome.standardError)")
            let summary = try Self.records(outcome.standardOutput).last?["summary"]
            #expect(summary?["calls_per_operation"]?["create_user"] == 2, "\(String(describing: summary))")
            #expect(summary?["requests"] == 5, "one page of contacts, then POST (409) and PUT per create")
        }
    }

    @Test("users all walks every cursor and writes one record per contact")
    func allUsersWalksCursors() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let creates = (1...7).map { #"{"op":"create_user","user_id":"p\#($0)","email":"p\#($0)@example.com"}"# }
            let outcome = try await ExecutableRunner.run(
                [], input: (creates + [#"{"op":"all_users","per_page":2}"#]).joined(separator: "\n") + "\n",
                environment: server.restClientEnvironment())
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let all = try Self.records(outcome.standardOutput).filter { $0["op"] == "all_users" }
            #expect(all.count == 10)
            #expect(Set(all.compactMap { $0["result"]?["external_id"]?.stringValue }).count == 10)
        }
    }

    @Test("a bulk import under --faults creates no contact and no note twice, and loses no line")
    func bulkImportUnderFaults() async throws {
        let faults = try FaultPlan(parsing: "503=8%,drop-before=4%,drop-after=4%,429=4%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(faults: faults)) { server, _ in
            var lines: [String] = []
            for number in 1...40 {
                lines.append(#"{"op":"create_user","user_id":"b\#(number)","email":"b\#(number)@example.com"}"#)
                lines.append(#"{"op":"create_note","user_id":"b\#(number)","body":"note \#(number)"}"#)
            }
            let outcome = try await ExecutableRunner.run(
                ["--retries", "8", "--concurrency", "4"], input: lines.joined(separator: "\n") + "\n", environment: server.restClientEnvironment())
            let records = try Self.records(outcome.standardOutput)
            #expect(Set(records.compactMap { $0["line"]?.integerValue }) == Set(1...80), "every line has its record")
            #expect(records.count == 80)
            let creates = records.filter { $0["op"] == "create_user" }
            #expect(creates.allSatisfy { $0["ok"] == true }, "creates are safe to retry: \(creates.filter { $0["ok"] != true })")
            let statistics = try server.store.statistics()
            #expect(statistics.users == 40)
            let notes = records.filter { $0["op"] == "create_note" }
            let written = notes.filter { $0["ok"] == true }.count
            let uncertain = notes.filter { $0["error"]?["type"] == "unknown_outcome" }.count
            #expect(statistics.notes >= written && statistics.notes <= written + uncertain, "notes \(statistics.notes), ok \(written), uncertain \(uncertain)")
            #expect((outcome.status == 0) == (written == 40))
        }
    }

    @Test("the access token is in no output, --verbose included, and a wrong one is an authentication failure")
    func tokenNeverShown() async throws {
        let token = "tok-SECRET-0123456789abcdefghij"
        try await SandboxHarness.withSandbox(SandboxConfiguration(accessToken: APIKey(token), seed: .demo)) { server, _ in
            let outcome = try await ExecutableRunner.run(
                ["--verbose", "-c", "find user 123"], environment: server.restClientEnvironment())
            #expect(outcome.status == 0, "\(outcome.standardError)")
            #expect(outcome.standardError.contains("Intercom-Version: 2.16") || outcome.standardError.contains("intercom-version: 2.16"), "\(outcome.standardError)")
            for text in [outcome.standardOutput, outcome.standardError] {
                #expect(!text.contains(token) && !text.contains("0123456789abcdefghij"))
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-token-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let files = ["journal", "record", "failures"].map { directory.appendingPathComponent($0).path }
            let written = try await ExecutableRunner.run(
                ["--journal", files[0], "--record", files[1], "--failures", files[2], "--trust-input"],
                input: "create user t1 name=${env:INTERCOM_ACCESS_TOKEN}\nnote nobody \"${env:INTERCOM_ACCESS_TOKEN}\"\n",
                environment: server.restClientEnvironment())
            #expect(written.status == 1, "the note on an unknown contact fails: \(written.standardOutput)")
            for text in [written.standardOutput, written.standardError] + files.compactMap({ try? String(contentsOfFile: $0, encoding: .utf8) }) {
                #expect(!text.contains(token) && !text.contains("0123456789abcdefghij"), "\(text.prefix(300))")
            }
            var environment = server.restClientEnvironment()
            environment["INTERCOM_ACCESS_TOKEN"] = "wrong-token-0123456789"
            let refused = try await ExecutableRunner.run(["-c", "find user 123"], environment: environment)
            #expect(refused.standardOutput.contains(#""type":"authentication""#), "\(refused.standardOutput)")
            #expect(!refused.standardOutput.contains("wrong-token") && !refused.standardError.contains("wrong-token"))
        }
    }

    @Test("a token without an app id selects 2.16; --api-version v1 wins and then needs an app id")
    func versionSwitchAndPrecedence() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            var environment = server.restClientEnvironment()
            environment["INTERCOM_API_VERSION"] = nil
            let implied = try await ExecutableRunner.run(["-c", "find user 123"], environment: environment)
            #expect(implied.standardOutput.contains(#""type":"contact""#), "\(implied.standardOutput)\(implied.standardError)")
            let v1 = try await ExecutableRunner.run(["--api-version", "v1", "-c", "find user 123"], environment: environment)
            #expect(v1.status == 3 && v1.standardError.contains("no credentials"), "\(v1.standardError)")
        }
    }

    @Test("intercom-sh sandbox prints the v1 endpoint, then the 2.x base URL, which takes --access-token")
    func sandboxCommandPrintsBothFaces() async throws {
        let (process, _, output) = try ExecutableRunner.start(["sandbox", "--port", "0", "--seed", "demo", "--access-token", "my-token"])
        defer { process.terminate() }
        let text = await onThread {
            var data = Data()
            while data.filter({ $0 == UInt8(ascii: "\n") }).count < 2 {
                let chunk = output.availableData
                if chunk.isEmpty { break }
                data.append(chunk)
            }
            return String(decoding: data, as: UTF8.self)
        }
        let lines = text.split(separator: "\n").map(String.init)
        try #require(lines.count == 2, "\(text)")
        #expect(lines[0].hasSuffix("/v1/") && lines[1] + "v1/" == lines[0])
        let answer = try await RawHTTP.send(
            "GET", lines[1] + "contacts/find_by_external_id/123", basicAuth: nil, headers: ["Authorization": "Bearer my-token"])
        #expect(answer.status == 200 && answer.body.contains("somebody@example.com"), "\(answer.body)")
    }
}
