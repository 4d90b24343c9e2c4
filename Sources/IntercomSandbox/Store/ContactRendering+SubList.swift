import IntercomKit

extension ContactRendering {
    /// A list a contact shows of what it is linked to (companies, notes, tags): the first 10 entries, each
    /// `{id, type, url}`, with `has_more` beyond, its `total_count`, and its own `url` under the contact.
    enum SubList: Sendable {
        case companies, notes, tags

        /// The `type` of each entry.
        var type: String {
            switch self {
            case .companies: "company"
            case .notes: "note"
            case .tags: "tag"
            }
        }

        /// The path segment of the entries' and the list's urls.
        var segment: String {
            switch self {
            case .companies: "companies"
            case .notes: "notes"
            case .tags: "tags"
            }
        }

        /// The ids of `contact`'s entries, in order.
        func ids(of contact: ContactRendering) -> [String] {
            switch self {
            case .companies: contact.companyIDs
            case .notes: contact.noteIDs.map { String($0) }
            case .tags: contact.tagIDs
            }
        }

        /// The list as a JSON value.
        func json(of contact: ContactRendering) -> JSONValue {
            let ids = ids(of: contact)
            let shown = ids.prefix(10).map { id -> JSONValue in ["type": .string(type), "id": .string(id), "url": .string("/\(segment)/\(id)")] }
            return [
                "type": "list", "data": .array(shown), "url": .string("/contacts/\(contact.record.intercomID)/\(segment)"),
                "total_count": .integer(Int64(ids.count)), "has_more": .bool(ids.count > 10),
            ]
        }

        /// Appends the list: the text ``json(of:)`` writes, its keys in order, without a dictionary per entry.
        func write(of contact: ContactRendering, to output: inout [UInt8]) {
            let ids = ids(of: contact)
            output.append(contentsOf: #"{"data":["#.utf8)
            for (index, id) in ids.prefix(10).enumerated() {
                output.append(contentsOf: (index == 0 ? #"{"id":"# : #",{"id":"#).utf8)
                JSONValue.string(id).write(to: &output)
                output.append(contentsOf: #","type":"\#(type)","url":"#.utf8)
                JSONValue.string("/\(segment)/\(id)").write(to: &output)
                output.append(UInt8(ascii: "}"))
            }
            output.append(contentsOf: #"],"has_more":\#(ids.count > 10),"total_count":\#(ids.count),"type":"list","url":"#.utf8)
            JSONValue.string("/contacts/\(contact.record.intercomID)/\(segment)").write(to: &output)
            output.append(UInt8(ascii: "}"))
        }
    }
}
