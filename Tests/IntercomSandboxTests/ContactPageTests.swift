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

    /// Every contact of `store`, rendered.
    static func everyContact(_ store: SandboxStore) throws -> [ContactRendering] {
        try store.listContacts(perPage: 150, startingAfter: nil).contacts
    }
}
