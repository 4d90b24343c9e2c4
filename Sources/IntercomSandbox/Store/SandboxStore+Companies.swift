import Foundation
import GRDB
import IntercomKit

/// Companies as the REST API (2.x) keeps them: upserted by `company_id`, found by Intercom id, `company_id` or name,
/// listed by page number or scrolled, and attached to contacts.
extension SandboxStore {
    /// The fields a company takes from a create or update, and their JSON types.
    static let companyFields: [String: String] = [
        "name": "string", "plan": "string", "size": "integer", "website": "string", "industry": "string", "monthly_spend": "integer",
        "remote_created_at": "integer", "custom_attributes": "object",
    ]

    /// Creates the company with `fields["company_id"]`, or updates the one that has it; answers the company.
    func upsertCompany(_ fields: JSONObject) throws(SandboxError) -> JSONValue {
        guard let companyID = fields["company_id"]?.stringValue, !companyID.isEmpty else {
            throw SandboxError.restInvalid("company_id is required to create or update a company")
        }
        let now = clock()
        return try write { db in
            if let sequence = try Int64.fetchOne(db, sql: "SELECT sequence FROM companies WHERE company_id = ?", arguments: [companyID]) {
                return try Self.updateCompany(db, sequence: sequence, fields, now: now)
            }
            var record = try Self.checkedCompanyFields(db, fields)
            record["company_id"] = .string(companyID)
            record["created_at"] = .integer(now)
            record["updated_at"] = .integer(now)
            let id = try Self.makeID(db, now: now)
            try db.run(
                "INSERT INTO companies (id, company_id, name_key, record) VALUES (?, ?, ?, ?)",
                [id, companyID, record["name"]?.stringValue?.lowercased(), JSONValue.object(record).encodedString()])
            return try Self.renderCompany(db, sequence: db.lastInsertedRowID)
        }
    }

    /// Updates the company with Intercom id `id` (its `company_id` cannot change); answers it.
    func updateCompany(id: String, _ fields: JSONObject) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try write { db in
            let sequence = try Self.companySequence(db, id: id)
            if let given = fields["company_id"]?.stringValue, given != (try Self.companyRecord(db, sequence)["company_id"]?.stringValue) {
                throw SandboxError.restInvalid("company_id cannot be changed")
            }
            return try Self.updateCompany(db, sequence: sequence, fields, now: now)
        }
    }

    /// The company with Intercom id `id`, or the API's 404.
    func company(id: String) throws(SandboxError) -> JSONValue {
        try read { db in try Self.renderCompany(db, sequence: try Self.companySequence(db, id: id)) }
    }

    /// Deletes the company with Intercom id `id`: `{id, object: "company", deleted: true}`.
    func deleteCompany(id: String) throws(SandboxError) -> JSONValue {
        try write { db in
            let sequence = try Self.companySequence(db, id: id)
            try db.run("DELETE FROM company_members WHERE company = ?", [sequence])
            try db.run("DELETE FROM company_tags WHERE company = ?", [sequence])
            try db.run("DELETE FROM companies WHERE sequence = ?", [sequence])
            return ["id": .string(id), "object": "company", "deleted": true]
        }
    }

    /// Page `page` of the companies (oldest first), or those with `company_id` or `name` (without case): a `list`
    /// with page-number `pages` and the `total_count`.
    func companies(page: Int, perPage: Int, companyID: String?, name: String?) throws(SandboxError) -> JSONValue {
        try read { db in
            var filter = ""
            var arguments: StatementArguments = []
            if let companyID {
                filter = "WHERE company_id = ?"
                arguments = [companyID]
            } else if let name {
                filter = "WHERE name_key = ?"
                arguments = [name.lowercased()]
            }
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM companies \(filter)", arguments: arguments) ?? 0
            let sequences = try Int64.fetchAll(
                db, sql: "SELECT sequence FROM companies \(filter) ORDER BY sequence LIMIT ? OFFSET ?",
                arguments: arguments + [perPage, Self.offset(page: page, perPage: perPage)])
            if (companyID != nil || name != nil) && total == 0 { throw SandboxError.companyNotFound }
            let pages = max(1, (total + perPage - 1) / perPage)
            return [
                "type": "list", "data": .array(try sequences.map { try Self.renderCompany(db, sequence: $0) }), "total_count": .integer(Int64(total)),
                "pages": ["type": "pages", "page": .integer(Int64(page)), "per_page": .integer(Int64(perPage)), "total_pages": .integer(Int64(pages))],
            ]
        }
    }

    /// The companies after the position `scrollParam` names (from the first without one), `perPage` at a time:
    /// a `list` with the `scroll_param` for the next call; a page with no companies ends the scroll.
    func scrollCompanies(after scrollParam: String?, perPage: Int) throws(SandboxError) -> JSONValue {
        let after: Int64
        if let scrollParam {
            guard let position = Self.scrollPosition(scrollParam) else { throw SandboxError.restInvalid("scroll_param is not one this scroll gave") }
            after = position
        } else {
            after = 0
        }
        return try read { db in
            let sequences = try Int64.fetchAll(
                db, sql: "SELECT sequence FROM companies WHERE sequence > ? ORDER BY sequence LIMIT ?", arguments: [after, perPage])
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM companies") ?? 0
            return [
                "type": "list", "data": .array(try sequences.map { try Self.renderCompany(db, sequence: $0) }), "total_count": .integer(Int64(total)),
                "scroll_param": .string(Self.scrollParam(sequences.last ?? after)),
            ]
        }
    }

    /// Attaches the contact with Intercom id `contactID` to the company with Intercom id `companyID` (again is no
    /// change); answers the company.
    func attachCompany(contactID: String, companyID: String) throws(SandboxError) -> JSONValue {
        try write { db in
            let (record, _) = try Self.existingContact(db, id: contactID)
            let company = try Self.companySequence(db, id: companyID)
            try db.run("INSERT OR IGNORE INTO company_members (company, sequence) VALUES (?, ?)", [company, record.sequence])
            return try Self.renderCompany(db, sequence: company)
        }
    }

    /// Detaches the contact from the company; answers the company. A company the contact is not attached to is a 404.
    func detachCompany(contactID: String, companyID: String) throws(SandboxError) -> JSONValue {
        try write { db in
            let (record, _) = try Self.existingContact(db, id: contactID)
            let company = try Self.companySequence(db, id: companyID)
            try db.run("DELETE FROM company_members WHERE company = ? AND sequence = ?", [company, record.sequence])
            guard db.changesCount > 0 else { throw SandboxError.companyNotFound }
            return try Self.renderCompany(db, sequence: company)
        }
    }

    /// The companies the contact is attached to: a `list` with the `total_count`.
    func companiesOfContact(id: String) throws(SandboxError) -> JSONValue {
        try read { db in
            let (record, _) = try Self.existingContact(db, id: id)
            let sequences = try Int64.fetchAll(
                db, sql: "SELECT company FROM company_members WHERE sequence = ? ORDER BY company", arguments: [record.sequence])
            let companies = try sequences.map { try Self.renderCompany(db, sequence: $0) }
            return [
                "type": "list", "data": .array(companies), "total_count": .integer(Int64(companies.count)),
                "pages": ["type": "pages", "page": 1, "per_page": .integer(Int64(max(1, companies.count))), "total_pages": 1],
            ]
        }
    }

    /// The contacts attached to the company: a `list` of contacts with the `total_count`.
    func contactsOfCompany(id: String) throws(SandboxError) -> JSONValue {
        try read { db in
            let company = try Self.companySequence(db, id: id)
            let rows = try Row.fetchAll(
                db, sql: "SELECT u.sequence, u.record FROM company_members m JOIN users u ON u.sequence = m.sequence WHERE m.company = ? ORDER BY u.sequence",
                arguments: [company])
            let contacts = try rows.map { row -> JSONValue in
                let record = try Self.record(from: (row["sequence"], row["record"]))
                return .object(try Self.render(db, record, try Self.state(db, record)))
            }
            return [
                "type": "list", "data": .array(contacts), "total_count": .integer(Int64(contacts.count)),
                "pages": ["type": "pages", "page": 1, "per_page": .integer(Int64(max(1, contacts.count))), "total_pages": 1],
            ]
        }
    }

    /// The Intercom ids of the companies a contact is attached to, for its rendering.
    static func companyIDs(_ db: Database, sequence: Int) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(sql: "SELECT c.id FROM company_members m JOIN companies c ON c.sequence = m.company WHERE m.sequence = ? ORDER BY c.sequence"),
            arguments: [sequence])
    }

    private static func updateCompany(_ db: Database, sequence: Int64, _ fields: JSONObject, now: Int64) throws -> JSONValue {
        var record = try companyRecord(db, sequence)
        for (key, value) in try checkedCompanyFields(db, fields) {
            if key == "custom_attributes", case .object(let given) = value, case .object(let current)? = record[key] {
                record[key] = .object(current.merging(given) { _, new in new })
            } else {
                record[key] = value
            }
        }
        record["updated_at"] = .integer(now)
        try db.run(
            "UPDATE companies SET name_key = ?, record = ? WHERE sequence = ?",
            [record["name"]?.stringValue?.lowercased(), JSONValue.object(record).encodedString(), sequence])
        return try renderCompany(db, sequence: sequence)
    }

    /// The fields of a create or update that the sandbox keeps, each of its documented type; others are a 400, as
    /// is a custom attribute the workspace has not defined for companies.
    private static func checkedCompanyFields(_ db: Database, _ fields: JSONObject) throws -> JSONObject {
        try checkDefined(db, fields["custom_attributes"]?.objectValue, model: "company")
        var kept: JSONObject = [:]
        for (key, value) in fields where key != "company_id" && !value.isNull {
            guard let type = companyFields[key] else { continue }
            let fits: Bool
            switch (type, value) {
            case ("string", .string), ("object", .object): fits = true
            case ("integer", .integer): fits = true
            default: fits = false
            }
            guard fits else { throw SandboxError.restInvalid("\(key) must be \(type == "integer" ? "an integer" : "a \(type)")") }
            kept[key] = value
        }
        return kept
    }

    private static func companySequence(_ db: Database, id: String) throws -> Int64 {
        guard let sequence = try Int64.fetchOne(db.cachedStatement(sql: "SELECT sequence FROM companies WHERE id = ?"), arguments: [id]) else {
            throw SandboxError.companyNotFound
        }
        return sequence
    }

    private static func companyRecord(_ db: Database, _ sequence: Int64) throws -> JSONObject {
        let text = try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM companies WHERE sequence = ?"), arguments: [sequence]) ?? "{}"
        return try JSONValue(parsing: text).objectValue ?? [:]
    }

    /// The `company` object (2.16).
    static func renderCompany(_ db: Database, sequence: Int64) throws -> JSONValue {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, record FROM companies WHERE sequence = ?"), arguments: [sequence]) else {
            throw SandboxError.companyNotFound
        }
        let id: String = row["id"]
        let record = try JSONValue(parsing: row["record"] as String).objectValue ?? [:]
        let users = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM company_members WHERE company = ?"), arguments: [sequence]) ?? 0
        let tags = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT t.id, t.name FROM company_tags c JOIN tags t ON t.id = c.tag_id WHERE c.company = ? ORDER BY t.name"),
            arguments: [sequence]
        ).map { restTag(id: $0["id"], name: $0["name"]) }
        var company: JSONObject = [
            "type": "company", "id": .string(id), "app_id": .string(ContactRendering.workspaceID), "company_id": record["company_id"] ?? "",
            "name": record["name"] ?? "", "created_at": record["created_at"] ?? 0, "updated_at": record["updated_at"] ?? 0,
            "monthly_spend": record["monthly_spend"] ?? 0, "session_count": 0, "user_count": .integer(Int64(users)),
            "custom_attributes": record["custom_attributes"] ?? [:], "tags": ["type": "tag.list", "tags": .array(tags)],
            "segments": ["type": "segment.list", "segments": []],
        ]
        // Fields the company was never given are left out: the description makes none of them nullable.
        for key in ["remote_created_at", "size", "website", "industry"] { if let value = record[key] { company[key] = value } }
        if let plan = record["plan"]?.stringValue {
            company["plan"] = ["type": "plan", "id": .string(String(plan.utf8.reduce(5381) { ($0 &* 33 &+ Int($1)) & 0xFFFFFF })), "name": .string(plan)]
        }
        return .object(company)
    }

    /// The rows before page `page` of `perPage`; a page too far for any table is past the end.
    static func offset(page: Int, perPage: Int) -> Int {
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: perPage)
        return overflow ? Int(Int32.max) : offset
    }

    private static func scrollParam(_ position: Int64) -> String { "scroll-" + String(position, radix: 16) }

    private static func scrollPosition(_ param: String) -> Int64? {
        guard param.hasPrefix("scroll-") else { return nil }
        return Int64(param.dropFirst("scroll-".count), radix: 16)
    }
}

extension SandboxError {
    /// The REST API's 404 for a company.
    static let companyNotFound = SandboxError(status: 404, type: "company_not_found", message: "Company Not Found")
}
