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

        /// Appends the list: the text ``json(of:)`` writes, its keys in order, with no dictionary or string made per
        /// entry.
        func write(of contact: ContactRendering, to output: inout [UInt8]) {
            let count = write(entriesOf: contact, to: &output)
            output.append(contentsOf: #"],"has_more":"#.utf8)
            output.append(contentsOf: (count > 10 ? "true" : "false").utf8)
            output.append(contentsOf: #","total_count":"#.utf8)
            output.append(contentsOf: String(count).utf8)
            output.append(contentsOf: #","type":"list","url":"/contacts/"#.utf8)
            JSONValue.writeContents(of: contact.record.intercomID, to: &output)
            output.append(UInt8(ascii: "/"))
            output.append(contentsOf: segment.utf8)
            output.append(contentsOf: #""}"#.utf8)
        }

        /// Appends `{"data":[` and the first 10 entries; returns how many entries the contact has.
        private func write(entriesOf contact: ContactRendering, to output: inout [UInt8]) -> Int {
            output.append(contentsOf: #"{"data":["#.utf8)
            switch self {
            case .companies, .tags:
                let ids = self == .companies ? contact.companyIDs : contact.tagIDs
                for (index, id) in ids.prefix(10).enumerated() { writeEntry(id, first: index == 0, to: &output) }
                return ids.count
            case .notes:
                for (index, id) in contact.noteIDs.prefix(10).enumerated() { writeEntry(String(id), first: index == 0, to: &output) }
                return contact.noteIDs.count
            }
        }

        /// Appends one entry: `{"id":…,"type":…,"url":"/segment/id"}`.
        private func writeEntry(_ id: String, first: Bool, to output: inout [UInt8]) {
            output.append(contentsOf: (first ? #"{"id":""# : #",{"id":""#).utf8)
            JSONValue.writeContents(of: id, to: &output)
            output.append(contentsOf: #"","type":""#.utf8)
            output.append(contentsOf: type.utf8)
            output.append(contentsOf: #"","url":"/"#.utf8)
            output.append(contentsOf: segment.utf8)
            output.append(UInt8(ascii: "/"))
            JSONValue.writeContents(of: id, to: &output)
            output.append(contentsOf: #""}"#.utf8)
        }
    }
}
