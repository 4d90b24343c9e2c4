package import IntercomKit

/// A page of contacts as the REST API lists and searches them: `{data, pages, total_count, type: "list"}`, written
/// straight from each contact's compiled shape (``ContactRendering/write(to:)``), with no dictionary per contact.
package struct ContactPage: Sendable {
    /// The contacts shown, in order.
    let contacts: [ContactRendering]
    /// How many contacts the whole list or search holds.
    let total: Int
    /// The `pages` object, with `next` when more follow.
    let pages: JSONObject

    /// The page of `items` keyed by their sequence numbers: at most `perPage` of them are shown; one more tells that a
    /// next page exists.
    init(_ items: [(Int, ContactRendering)], perPage: Int, cursor: ContactCursor, total: Int) {
        let shown = items.prefix(perPage)
        contacts = shown.map(\.1)
        self.total = total
        pages = SandboxStore.pages(after: items.count > perPage ? shown.last?.0 : nil, perPage: perPage, cursor: cursor, total: total)
    }

    /// The page as a JSON value.
    package var json: JSONValue {
        ["type": "list", "data": .array(contacts.map { .object($0.json) }), "total_count": .integer(Int64(total)), "pages": .object(pages)]
    }

    /// Appends the page as compact JSON with sorted keys: the text ``json`` writes.
    package func write(to output: inout [UInt8]) {
        output.reserveCapacity(output.count + 2_048 * (contacts.count + 1))
        output.append(contentsOf: #"{"data":["#.utf8)
        for (index, contact) in contacts.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            contact.write(to: &output)
        }
        output.append(contentsOf: #"],"pages":"#.utf8)
        JSONValue.object(pages).write(to: &output)
        output.append(contentsOf: #","total_count":\#(total),"type":"list"}"#.utf8)
    }
}
