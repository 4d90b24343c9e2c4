import Foundation
import IntercomKit
@testable import IntercomSandbox
import Testing

/// A contact and a page of contacts written straight from their ordered members are byte for byte the JSON their
/// dictionaries encode to.
@Suite("Contact pages written without dictionaries")
struct ContactPageTests {
    @Test("a contact's members are in key order, each key once, and the keys with no data are null")
    func memberOrder() throws {
        let store = try ContactSearchSQLTests.store()
        for contact in try Self.everyContact(store) {
            let keys = contact.members.map(\.key)
            #expect(zip(keys, keys.dropFirst()).allSatisfy { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }, "\(keys)")
            let json = contact.json
            for key in ContactRendering.absentKeys { #expect(json[key] == .null, "\(key)") }
        }
    }

    @Test("a contact written from its members is the text its dictionary encodes to")
    func contactText() throws {
        let store = try ContactSearchSQLTests.store()
        let contacts = try Self.everyContact(store)
        #expect(contacts.count > 5)
        for contact in contacts {
            var written: [UInt8] = []
            contact.write(to: &written)
            #expect(String(decoding: written, as: UTF8.self) == JSONValue.object(contact.json).encodedString())
        }
    }

    @Test("a contact with full sub-lists, an avatar and odd text is written as its dictionary encodes to")
    func fullContactText() throws {
        let store = try ContactSearchSQLTests.store()
        let odd = "Quote \" back\\slash \u{1} tab\t é \u{1F600}"
        let contact = try store.createContact(try ContactChanges(RequestParameters(values: [
            "external_id": .string(odd), "email": "odd@example.com", "name": .string(odd), "phone": "+1 555",
            "avatar": "https://example.com/a.png", "custom_attributes": ["plan": .string(odd), "seats": 3],
        ])))
        let id = try #require(contact["id"]?.stringValue)
        _ = try store.restTagContacts(name: "VIP", contactIDs: [id])
        for tag in 1...11 { _ = try store.restTagContacts(name: "tag \(tag) \"x\"", contactIDs: [id]) }
        for note in 1...11 { _ = try store.createContactNote(id: id, body: "note \(note)") }
        for company in 1...2 {
            let made = try store.upsertCompany(["company_id": .string("co-\(company)"), "name": .string("Company \(company)")])
            _ = try store.attachCompany(contactID: id, companyID: try #require(made["id"]?.stringValue))
        }
        let rendered = try #require(try Self.everyContact(store).first { $0.record.intercomID == id })
        let json = JSONValue.object(rendered.json)
        #expect(json["tags"]?["total_count"] == 12 && json["tags"]?["has_more"] == true && json["tags"]?["data"]?.arrayValue?.count == 10)
        #expect(json["notes"]?["total_count"] == 11 && json["companies"]?["total_count"] == 2)
        #expect(json["avatar"]?["image_url"] == "https://example.com/a.png" && json["name"] == .string(odd))
        var written: [UInt8] = []
        rendered.write(to: &written)
        #expect(String(decoding: written, as: UTF8.self) == json.encodedString())
        #expect(try JSONValue(parsing: String(decoding: written, as: UTF8.self)) == json)
    }

    @Test("a page written straight is the text its JSON value encodes to, with and without a next page")
    func pageText() throws {
        let store = try ContactSearchSQLTests.store()
        for perPage in [1, 3, 150] {
            let page = try store.listContacts(perPage: perPage, startingAfter: nil)
            var written: [UInt8] = []
            page.write(to: &written)
            #expect(String(decoding: written, as: UTF8.self) == page.json.encodedString())
            #expect((page.json["pages"]?["next"] != nil) == (perPage < 5), "per_page \(perPage)")
        }
        let search = try store.searchContacts(.filter(field: "name", operator: .equal, value: "ann"), perPage: 5, startingAfter: nil, lag: 0)
        var written: [UInt8] = []
        search.write(to: &written)
        #expect(String(decoding: written, as: UTF8.self) == search.json.encodedString())
        #expect(search.json["data"]?.arrayValue?.count == 1)
    }

    @Test("the store's old one-at-a-time page is the same text as the batched one")
    func oneByOneMatches() throws {
        let store = SandboxStore(seed: .generated(400))
        var batched: [UInt8] = []
        try store.listContacts(perPage: 150, startingAfter: nil).write(to: &batched)
        #expect(try store.firstContactsOneByOne(perPage: 150) == batched)
    }

    @Test("pages read across archived contacts show each contact's own tags, notes and companies, as one at a time does")
    func archivedNeighbours() throws {
        let store = SandboxStore(seed: .generated(40))
        let ids = (1...40).map { SandboxStore.generatedID(prefix: "5a", $0) }
        for (index, id) in ids.enumerated() where index % 3 != 1 {
            _ = try store.restTagContacts(name: "tag \(index)", contactIDs: [id])
            _ = try store.createContactNote(id: id, body: "note \(index)")
        }
        for (index, id) in ids.enumerated() where index % 4 == 2 || index >= 35 { _ = try store.setArchived(id: id, true) }
        var shown: [ContactRendering] = []
        var cursor: String?
        repeat {
            let page = try store.listContacts(perPage: 4, startingAfter: cursor)
            shown += page.contacts
            cursor = page.pages["next"]?["starting_after"]?.stringValue
        } while cursor != nil
        let expected = ids.enumerated().filter { index, _ in !(index % 4 == 2 || index >= 35) }
        #expect(shown.map(\.record.intercomID) == expected.map(\.element))
        for (contact, (index, id)) in zip(shown, expected) {
            let alone = try store.contact(id: id)
            #expect(JSONValue.object(contact.json) == alone, "contact \(index + 1)")
            #expect(contact.tagIDs.count == (index % 3 != 1 ? 1 : 0) && contact.noteIDs.count == contact.tagIDs.count && contact.companyIDs.count == 1)
        }
    }

    @Test("an email's domain is what follows its first @ after some text, in lower case", arguments: [
        ("ann@Example.COM", "example.com"), ("ann@example.com", "example.com"), ("@example.com", ""), ("ann@", ""), ("ann", ""),
        ("a@@b.io", "@b.io"), ("@@b.io", ""), ("é@Exämple.de", "exämple.de"), ("ann@b@c", "b@c"),
    ])
    func emailDomain(email: String, domain: String) {
        #expect(ContactRendering.domain(email) == domain)
    }

    /// Every contact of `store`, rendered.
    static func everyContact(_ store: SandboxStore) throws -> [ContactRendering] {
        try store.listContacts(perPage: 150, startingAfter: nil).contacts
    }
}

@Suite("The store's count of contacts")
struct UserCountTests {
    /// The total a page of contacts reports, against the users counted row by row.
    static func totals(_ store: SandboxStore) throws -> (page: Int, counted: Int) {
        (try store.listContacts(perPage: 1, startingAfter: nil).total, try store.statistics().users)
    }

    @Test("the total a page reports follows creates, upserts, deletes and merges, and a file reopened keeps it")
    func countFollowsEveryChange() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-count-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let store = try SandboxStore(path: path, seed: .generated(40))
            #expect(try Self.totals(store) == (40, 40))
            var ids: [String] = []
            for index in 0..<5 {
                let contact = try store.createContact(try ContactChanges(RequestParameters(values: ["email": .string("c\(index)@example.com")])))
                ids.append(contact["id"]?.stringValue ?? "")
            }
            var user = UserChanges()
            user.userID = "u1"
            user.name = "Updated, not added"
            _ = try store.upsertUser(user)
            #expect(try Self.totals(store) == (45, 45))
            _ = try store.deleteContact(id: ids[0])
            _ = try store.mergeContact(from: ids[1], into: ids[2])
            _ = try store.deleteUser(userID: "u2", email: nil)
            let after = try Self.totals(store)
            #expect(after.page == after.counted && after.counted == 42, "\(after)")
        }
        let reopened = try SandboxStore(path: path, seed: .empty)
        #expect(try Self.totals(reopened) == (42, 42))
    }
}
