import IntercomKit

/// Renders a stored user as the REST API's `contact` object (2.16): every documented key, null where empty.
struct ContactRendering: Sendable {
    /// The workspace id the sandbox reports.
    static let workspaceID = "sandbox"

    let record: UserRecord
    let state: ContactState
    /// The ids of the tags on the contact, in tagging order.
    let tagIDs: [String]
    /// The ids of the contact's notes, oldest first.
    let noteIDs: [Int64]
    /// The Intercom ids of the companies the contact is attached to.
    var companyIDs: [String] = []

    /// The `contact` object.
    var json: JSONObject { Dictionary(uniqueKeysWithValues: members.lazy.map { ($0.key, $0.value) }) }

    /// The `contact` object's members in key order, each with its value for this contact.
    var members: [(key: String, value: JSONValue)] {
        Self.shape.map { member in (member.key, member.value.json(of: self)) }
    }

    /// Appends the `contact` object as compact JSON with sorted keys: the text `JSONValue.object(json)` writes. The
    /// keys and fixed values come from ``template``; only what differs between contacts is written per contact.
    func write(to output: inout [UInt8]) {
        for segment in Self.template {
            switch segment {
            case .bytes(let bytes): output.append(contentsOf: bytes)
            case .member(let index): Self.shape[index].value.write(of: self, to: &output)
            }
        }
    }

    /// `{type: "contact", id, external_id}`, to which a deletion or archiving adds `deleted` or `archived`.
    var reference: JSONObject {
        ["type": "contact", "id": .string(record.intercomID), "external_id": Self.text(record.userID)]
    }

    static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// What follows the first `@` of `email` that follows some text, in lower case; empty when there is none.
    static func domain(_ email: String) -> String {
        let bytes = email.utf8
        guard bytes.first != UInt8(ascii: "@"), bytes.allSatisfy({ $0 < 0x80 }) else {
            return email.split(separator: "@", maxSplits: 1).dropFirst().first.map { String($0).lowercased() } ?? ""
        }
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return "" }
        let domain = Substring(bytes[bytes.index(after: at)...])
        return domain.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) ? domain.lowercased() : String(domain)
    }
}
