import Foundation
import IntercomKit
import IntercomSandbox
import IntercomTesting
import Testing

/// The REST API's other resources as commands, through the built executable against the sandbox.
@Suite("Resource commands end to end")
struct ResourceCommandsTests {
    static func records(_ output: String) throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    @Test("admins, admin <id> and me on 2.x; references to them; a table; v1 answers unsupported naming 2.x")
    func admins() async throws {
        let script = """
            me as me
            admins
            admin ${me.id}
            admin 1
            {"op":"get_admins"}
            """
        let outcome = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16"], input: script + "\n")
        let records = try Self.records(outcome.standardOutput)
        try #require(records.count == 5, "\(outcome.standardOutput)\(outcome.standardError)")
        #expect(records[0]["result"]?["type"] == "admin" && records[0]["result"]?["app"]?["type"] == "app")
        #expect(records[1]["result"]?["type"] == "admin.list" && records[1]["result"]?["admins"]?.arrayValue?.count == 2)
        #expect(records[2]["result"]?["id"] == records[0]["result"]?["id"])
        #expect(records[3]["error"]?["type"] == "not_found", "\(records[3])")
        #expect(records[4]["op"] == "get_admins" && records[4]["ok"] == true)
        #expect(outcome.status == 1)

        let table = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16", "--output", "table", "-c", "admins"])
        #expect(table.standardOutput.contains("job_title") && table.standardOutput.contains("Ada Admin"), "\(table.standardOutput)")

        let v1 = try await ExecutableRunner.run(["--sandbox", "-c", "me"])
        let refusal = try Self.records(v1.standardOutput).first
        #expect(refusal?["error"]?["type"] == "unsupported" && refusal?["error"]?["message"]?.stringValue?.contains("REST API 2.x") == true)
    }
}

extension ResourceCommandsTests {
    @Test("companies: create (upsert), find, update, attach, company users, user companies, detach, pages, all, delete")
    func companies() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            var lines = [
                "create company 6 name=\"Blue Sun\" plan=pro size=87 as blue",
                "create company 6 size=90",
                "find company 6",
                "find company name=\"blue sun\"",
                "update company 6 industry=Shipping",
                "attach company 6 somebody@example.com",
                "attach company 6 abc123",
                "company users 6",
                "user companies abc123",
                "detach company 6 abc123",
                "find company id=${blue.id}",
            ]
            for index in 1...20 { lines.append("create company c\(index) name=\"Company \(index)\"") }
            lines += ["companies per_page=5 page=2", "companies all", "delete company 6", "find company 6", "attach company nope 123"]
            let outcome = try await ExecutableRunner.run([], input: lines.joined(separator: "\n") + "\n", environment: server.restClientEnvironment())
            let records = try Self.records(outcome.standardOutput)
            let byLine = Dictionary(grouping: records) { Int($0["line"]?.integerValue ?? 0) }
            let created = byLine[1]?.first?["result"]
            #expect(created?["type"] == "company" && created?["company_id"] == "6" && created?["plan"]?["name"] == "pro", "\(outcome.standardOutput)")
            #expect(byLine[2]?.first?["result"]?["id"] == created?["id"] && byLine[2]?.first?["result"]?["size"] == 90, "an upsert, not a second company")
            #expect(byLine[3]?.first?["result"]?["id"] == created?["id"] && byLine[4]?.first?["result"]?["id"] == created?["id"])
            #expect(byLine[5]?.first?["result"]?["industry"] == "Shipping" && byLine[5]?.first?["result"]?["name"] == "Blue Sun")
            #expect(byLine[7]?.first?["result"]?["user_count"] == 2, "\(byLine[7] ?? [])")
            let members = byLine[8]?.first?["result"]?["data"]?.arrayValue?.compactMap { $0["email"]?.stringValue }.sorted()
            #expect(members?.count == 2 && members?.contains("somebody@example.com") == true, "\(byLine[8] ?? [])")
            #expect(byLine[9]?.first?["result"]?["total_count"] == 1)
            #expect(byLine[9]?.first?["result"]?["data"]?.arrayValue?.first?["company_id"] == "6")
            #expect(byLine[35]?.first?["error"]?["message"]?.stringValue?.contains("no company 6") == true, "\(byLine[35] ?? [])")
            #expect(byLine[10]?.first?["result"]?["user_count"] == 1)
            #expect(byLine[11]?.first?["result"]?["company_id"] == "6")
            let page = byLine[32]?.first?["result"]
            #expect(page?["data"]?.arrayValue?.count == 5 && page?["pages"]?["page"] == 2 && page?["total_count"] == 21, "\(byLine[32] ?? [])")
            let all = byLine[33] ?? []
            #expect(all.count == 21 && Set(all.compactMap { $0["result"]?["company_id"]?.stringValue }).count == 21, "\(all.count)")
            #expect(byLine[34]?.first?["result"]?["deleted"] == true)
            #expect(byLine[35]?.first?["error"]?["type"] == "not_found" && byLine[36]?.first?["error"]?["type"] == "not_found")
            #expect(outcome.status == 1)
            let v1 = try await ExecutableRunner.run(["--sandbox", "-c", "find company 6"])
            #expect(try Self.records(v1.standardOutput).first?["error"]?["type"] == "unsupported")
        }
    }
}

extension ResourceCommandsTests {
    @Test("tags, delete tag, notes, segments, segment <id>, user segments on 2.x")
    func tagsNotesSegments() async throws {
        let script = """
            note 123 "first"
            note 123 "second"
            notes 123
            notes 123 per_page=1 page=2
            tag "Old Trial" 123
            tags
            delete tag "old trial"
            find tag "Old Trial"
            delete tag "Old Trial"
            segments
            segment seg-users
            user segments 123
            segment nope
            tag "Café" abc123
            tag "CAFÉ" def456
            delete tag "café"
            untag "café" abc123
            delete tag "Café"
            tags
            """
        let outcome = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16"], input: script + "\n")
        let records = try Self.records(outcome.standardOutput)
        try #require(records.count == 19, "\(outcome.standardOutput)\(outcome.standardError)")
        #expect(records[15]["error"]?["type"] == "ambiguous" && records[16]["error"]?["type"] == "ambiguous", "\(records[15]) \(records[16])")
        #expect(records[17]["result"]?["name"] == "Café" && records[17]["result"]?["deleted"] == true, "\(records[17])")
        let remaining = records[18]["result"]?["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(remaining.contains("CAFÉ") && !remaining.contains("Café"), "\(remaining)")
        let notes = records[2]["result"]?["data"]?.arrayValue?.compactMap { $0["body"]?.stringValue } ?? []
        #expect(notes.prefix(2) == ["<p>second</p>", "<p>first</p>"], "newest first: \(notes)")
        #expect(records[3]["result"]?["data"]?.arrayValue?.count == 1 && records[3]["result"]?["pages"]?["page"] == 2)
        #expect(records[5]["result"]?["data"]?.arrayValue?.contains { $0["name"] == "Old Trial" } == true)
        #expect(records[6]["result"]?["deleted"] == true && records[6]["result"]?["name"] == "Old Trial", "\(records[6])")
        #expect(records[7]["error"]?["type"] == "not_found" && records[8]["error"]?["type"] == "not_found")
        #expect(records[9]["result"]?["type"] == "segment.list" && records[9]["result"]?["segments"]?.arrayValue?.count == 2)
        #expect(records[10]["result"]?["name"] == "All users")
        #expect(records[11]["result"]?["data"]?.arrayValue?.first?["id"] == "seg-users")
        #expect(records[12]["error"]?["type"] == "not_found")
    }
}

extension ResourceCommandsTests {
    @Test("a page past any table is empty, not a crash; id= and company_id= together are refused; id= leaves the ident its word")
    func companyEdges() async throws {
        let script = """
            create company 6 name=Acme as acme
            companies page=9223372036854775807 per_page=150
            update company 6 id=${acme.id} name=Which
            attach company id=${acme.id} 123
            find company name=""
            find company 6
            create user x1 email=x1@example.com company={"id":"7"} custom_data.undefined=1
            create user x2 email=x2@example.com company={"id":"8","bogus":1}
            """
        let outcome = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16", "--concurrency", "1"], input: script + "\n")
        let records = try Self.records(outcome.standardOutput)
        try #require(records.count == 8, "\(outcome.standardOutput)\(outcome.standardError)")
        #expect(records[1]["ok"] == true && records[1]["result"]?["data"] == [], "\(records[1])")
        #expect(records[2]["error"]?["message"]?.stringValue?.contains("not both") == true)
        #expect(records[3]["ok"] == true && records[3]["result"]?["user_count"] == 1, "\(records[3])")
        #expect(records[4]["error"]?["type"] == "invalid_input")
        #expect(records[5]["result"]?["name"] == "Acme")
        #expect(records[6]["error"]?["type"] == "partially_applied" && records[6]["error"]?["applied"] == ["POST /companies"], "\(records[6])")
        #expect(records[7]["error"]?["type"] == "invalid_input" && records[7]["error"]?["message"]?.stringValue?.contains("bogus") == true)
    }
}

extension ResourceCommandsTests {
    @Test("attributes: define for contacts and companies, list by model, archive; a contact may then carry the attribute")
    func attributes() async throws {
        let script = """
            create attribute seats type=integer as seats
            create attribute tier type=string model=company description="Pricing tier"
            create attribute seats type=integer
            create attribute bad type=money
            attributes model=company
            create user a1 email=a1@example.com custom_data.seats=3
            update attribute ${seats.id} archived=true
            attributes
            attributes archived=true
            """
        let outcome = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16", "--concurrency", "1"], input: script + "\n")
        let records = try Self.records(outcome.standardOutput)
        try #require(records.count == 9, "\(outcome.standardOutput)\(outcome.standardError)")
        #expect(records[0]["result"]?["model"] == "contact" && records[0]["result"]?["data_type"] == "integer")
        #expect(records[1]["result"]?["model"] == "company" && records[1]["result"]?["description"] == "Pricing tier")
        #expect(records[2]["error"]?["type"] == "client_error", "defined twice: \(records[2])")
        #expect(records[3]["error"]?["type"] == "invalid_input")
        #expect(records[4]["result"]?["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["tier"])
        #expect(records[5]["ok"] == true && records[5]["result"]?["custom_attributes"]?["seats"] == 3, "\(records[5])")
        #expect(records[6]["result"]?["archived"] == true)
        #expect(records[7]["result"]?["data"]?.arrayValue?.contains { $0["name"] == "seats" } == false)
        #expect(records[8]["result"]?["data"]?.arrayValue?.contains { $0["name"] == "seats" && $0["archived"] == true } == true)
    }
}

extension ResourceCommandsTests {
    @Test("tag and untag company=: one POST /tags by company_id; the company shows its tags; v1 refuses it")
    func companyTags() async throws {
        let script = """
            create company 6 name=Acme
            tag "Key account" company=6
            find company 6
            untag "Key account" company=6
            find company 6
            tag VIP company=nope
            tag VIP 123 company=6
            untag Hot2 company=[]
            """
        let outcome = try await ExecutableRunner.run(["--sandbox", "--api-version", "2.16", "--concurrency", "1"], input: script + "\n")
        let records = try Self.records(outcome.standardOutput)
        try #require(records.count == 8, "\(outcome.standardOutput)\(outcome.standardError)")
        #expect(records[7]["error"]?["type"] == "invalid_input", "no company: \(records[7])")
        #expect(records[1]["result"]?["type"] == "tag" && records[1]["result"]?["name"] == "Key account")
        #expect(records[2]["result"]?["tags"]?["tags"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Key account"], "\(records[2])")
        #expect(records[4]["result"]?["tags"]?["tags"] == [])
        #expect(records[5]["error"]?["type"] == "not_found")
        #expect(records[6]["error"]?["message"]?.stringValue?.contains("not both") == true)
        for arguments in [["--sandbox"], ["--sandbox", "--dry-run"]] {
            let v1 = try await ExecutableRunner.run(arguments + ["-c", "tag VIP company=6"])
            let refusal = try Self.records(v1.standardOutput).first?["error"]
            #expect(refusal?["type"] == "unsupported" && refusal?["message"]?.stringValue?.contains("REST API 2.x") == true, "\(arguments): \(v1.standardOutput)")
        }
    }
}

extension ResourceCommandsTests {
    @Test("2,000 create user … company= lines at default flags under faults: one record each, nothing twice, calls per line reported")
    func usersWithCompaniesUnderFaults() async throws {
        let faults = try FaultPlan(parsing: "503=8%,429=2%,drop-before=3%,drop-after=3%")
        try await SandboxHarness.withSandbox(SandboxConfiguration(faults: faults)) { server, _ in
            let lines = (0..<2_000).map { index in
                #"{"op":"create_user","user_id":"w\#(index)","email":"w\#(index)@example.com","company":{"id":"co\#(index % 25)","name":"Company \#(index % 25)"}}"#
            }
            // Default flags (3 retries): a line may still fail after its retries, but never twice applied.
            let outcome = try await ExecutableRunner.run(
                ["--summary"], input: lines.joined(separator: "\n") + "\n", environment: server.restClientEnvironment(), timeout: .seconds(300))
            var records = try Self.records(outcome.standardOutput)
            let summary = try #require(records.popLast()?["summary"])
            #expect(records.map { $0["line"]?.integerValue ?? 0 } == Array(1...2_000), "one record per line, in order")
            let succeeded = records.filter { $0["ok"] == true }.count
            #expect(succeeded >= 1_990, "retries carry nearly every line through: \(records.filter { $0["ok"] == false }.prefix(3))")
            #expect((summary["calls_per_operation"]?["create_user"]?.doubleValue ?? 0) >= 3, "\(summary)")
            #expect(outcome.standardError.contains("create_user"), "calls per line on stderr: \(outcome.standardError)")
            let stats = try server.store.statistics()
            #expect(stats.users >= succeeded && stats.users <= 2_000, "no contact twice")
            let listed = try await ExecutableRunner.run(["--retries", "10", "-c", "companies all"], environment: server.restClientEnvironment())
            let companies = try Self.records(listed.standardOutput).compactMap { $0["result"] }
            #expect(companies.count == 25 && Set(companies.compactMap { $0["company_id"]?.stringValue }).count == 25, "no company twice")
            let attached = companies.map { $0["user_count"]?.integerValue ?? 0 }.reduce(0, +)
            #expect(attached >= succeeded && attached <= stats.users, "each user attached at most once, every ok line's user attached")
        }
    }
}

extension ResourceCommandsTests {
    @Test("companies all on a scroll that keeps expiring: started again at most three times, then one failure; no company twice")
    func scrollThatKeepsExpiring() async throws {
        var configuration = SandboxConfiguration()
        configuration.scrollExpiry = .milliseconds(50)
        try await SandboxHarness.withSandbox(configuration) { server, _ in
            let creates = (0..<60).map { "create company c\($0)" }.joined(separator: "\n") + "\n"
            _ = try await ExecutableRunner.run([], input: creates, environment: server.restClientEnvironment())
            // Four requests a second: each later page comes after the scroll's 50 ms.
            let outcome = try await ExecutableRunner.run(["--rate", "4/1s", "-c", "companies all"], environment: server.restClientEnvironment())
            let records = try Self.records(outcome.standardOutput)
            let companies = records.compactMap { $0["result"]?["company_id"]?.stringValue }
            #expect(companies.count == 50 && Set(companies).count == 50, "the first page once, though it came four times")
            #expect(records.last?["error"]?["type"] == "not_found", "\(outcome.standardOutput)")
            #expect(outcome.standardError.contains("started again from its first page"), "\(outcome.standardError)")
            #expect(ConversationCommandsTests.requests(outcome.standardError) == 8, "1 + 3 restarts, each a first page and a later one: \(outcome.standardError)")
            #expect(outcome.status == 1)
        }
    }
}

extension ResourceCommandsTests {
    @Test("company custom attributes must be defined for companies: refused with a hint, defined by --create-attributes")
    func companyCustomAttributes() async throws {
        try await SandboxHarness.withSandbox(SandboxConfiguration(seed: .demo)) { server, _ in
            let lines = [
                "create company 6 name=Acme custom_attributes.seats=5",
                #"{"op":"create_user","user_id":"u1","company":{"id":"7","custom_data":{"tier":"gold"}}}"#,
            ]
            let refused = try await ExecutableRunner.run([], input: lines.joined(separator: "\n") + "\n", environment: server.restClientEnvironment())
            let failures = try Self.records(refused.standardOutput).compactMap { $0["error"] }
            #expect(failures.count == 2, "\(refused.standardOutput)")
            for failure in failures {
                let message = failure["message"]?.stringValue ?? ""
                #expect(message.contains("for companies") && message.contains("--create-attributes"), "\(message)")
            }
            let defined = try await ExecutableRunner.run(
                ["--create-attributes"], input: (lines + ["attributes model=company"]).joined(separator: "\n") + "\n",
                environment: server.restClientEnvironment())
            let records = try Self.records(defined.standardOutput)
            #expect(records.count == 3 && records.allSatisfy { $0["ok"] == true }, "\(defined.standardOutput)")
            #expect(records[0]["result"]?["custom_attributes"]?["seats"] == 5)
            let names = records[2]["result"]?["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue }.sorted()
            #expect(names == ["seats", "tier"], "\(records[2])")
            let contacts = try await ExecutableRunner.run(["-c", "attributes"], environment: server.restClientEnvironment())
            let contactAttributes = try Self.records(contacts.standardOutput).first?["result"]?["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(!contactAttributes.contains("seats") && !contactAttributes.contains("tier"), "defined for companies only: \(contactAttributes)")
        }
    }
}
