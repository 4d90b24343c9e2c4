import GRDB
import IntercomKit

/// Custom data attributes of contacts and companies, as the REST API (2.x) enforces them: a contact or a company may
/// carry only attributes the workspace has defined for its model. The v1 face defines a contact attribute the first
/// time a user carries it, as v1 did.
extension SandboxStore {
    /// The custom attributes of `model` (contact or company), archived ones only when asked:
    /// `{type: "list", data: [data_attribute…]}`.
    func dataAttributes(model: String = "contact", includingArchived: Bool = false) throws(SandboxError) -> JSONValue {
        try read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM data_attributes WHERE model = ? AND (archived = 0 OR ?) ORDER BY id", arguments: [model, includingArchived])
            return ["type": "list", "data": .array(rows.map(Self.dataAttribute))]
        }
    }

    /// Updates the attribute with this id: `archived`, `description`, `options`; answers it. An unknown id is a 404.
    func updateDataAttribute(id: Int64, archived: Bool?, description: String?, options: JSONValue?) throws(SandboxError) -> JSONValue {
        try write { db in
            guard try Row.fetchOne(db, sql: "SELECT id FROM data_attributes WHERE id = ?", arguments: [id]) != nil else {
                throw SandboxError(status: 404, type: "not_found", message: "Data Attribute Not Found")
            }
            if let archived { try db.run("UPDATE data_attributes SET archived = ? WHERE id = ?", [archived, id]) }
            if let description { try db.run("UPDATE data_attributes SET description = ? WHERE id = ?", [description, id]) }
            if let options { try db.run("UPDATE data_attributes SET options = ? WHERE id = ?", [options.encodedString(), id]) }
            let row = try Row.fetchOne(db, sql: "SELECT * FROM data_attributes WHERE id = ?", arguments: [id])
            return row.map(Self.dataAttribute) ?? .null
        }
    }

    /// The data type of every custom contact attribute, by name.
    func dataAttributeTypes() throws(SandboxError) -> [String: String] {
        try read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT name, data_type FROM data_attributes").map { ($0["name"], $0["data_type"]) }) { _, last in last }
        }
    }

    /// Defines a custom attribute of `model`; one that exists already is a 400 naming it. A list attribute
    /// (`data_type` `options`, with at least two `options`) is a string attribute with those options.
    func createDataAttribute(
        name: String, dataType: String, model: String = "contact", description: String = "", options: JSONValue? = nil
    ) throws(SandboxError) -> JSONValue {
        guard ["contact", "company"].contains(model) else { throw SandboxError.restInvalid("model must be contact or company, not \(model)") }
        guard ["string", "integer", "float", "boolean", "date", "datetime", "options"].contains(dataType) else {
            throw SandboxError.restInvalid("data_type must be string, integer, float, boolean, date, datetime or options, not \(dataType)")
        }
        let values = options?.arrayValue?.compactMap { $0["value"]?.stringValue ?? $0.stringValue } ?? []
        if dataType == "options" && (values.count < 2 || values.count != options?.arrayValue?.count) {
            throw SandboxError(status: 422, type: "parameter_invalid", message: "A list attribute must have at least 2 active options")
        }
        guard !name.isEmpty, !name.contains("."), !name.contains("$") else {
            throw SandboxError.restInvalid("The name of a data attribute cannot be empty or contain . or $")
        }
        return try write { db in
            if try Row.fetchOne(db, sql: "SELECT id FROM data_attributes WHERE model = ? AND name = ?", arguments: [model, name]) != nil {
                throw SandboxError.restInvalid("You already have '\(name)' in your workspace. Please choose a different name.")
            }
            let listed = dataType == "options" ? JSONValue.array(values.map { ["value": .string($0)] }).encodedString() : nil
            try db.run(
                "INSERT INTO data_attributes (model, name, data_type, description, options) VALUES (?, ?, ?, ?, ?)",
                [model, name, dataType == "options" ? "string" : dataType, description, listed])
            let row = try Row.fetchOne(db, sql: "SELECT * FROM data_attributes WHERE id = ?", arguments: [db.lastInsertedRowID])
            return row.map(Self.dataAttribute) ?? .null
        }
    }

    /// Refuses custom attributes the workspace has not defined for `model` (a 400 naming the first).
    static func checkDefined(_ db: Database, _ attributes: JSONObject?, model: String = "contact") throws {
        guard let attributes, !attributes.isEmpty else { return }
        let defined = try definedAttributes(db, model: model)
        if let unknown = attributes.keys.sorted().first(where: { !defined.contains($0) }) {
            throw SandboxError(
                status: 400, type: "parameter_invalid",
                message: "Custom attribute '\(unknown)' does not exist for \(model == "company" ? "companies" : "contacts"): define it first (POST /data_attributes)")
        }
    }

    /// Defines, as v1 did on first use, the custom attributes a v1 user carries (type from the value).
    static func defineOnFirstUse(_ db: Database, _ attributes: JSONObject) throws {
        for (name, value) in attributes {
            try db.run("INSERT OR IGNORE INTO data_attributes (name, data_type) VALUES (?, ?)", [name, DataAttributeType.of(value)])
        }
    }

    private static func definedAttributes(_ db: Database, model: String) throws -> Set<String> {
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM data_attributes WHERE model = ? AND archived = 0"), arguments: [model]))
    }

    /// The `data_attribute` object of a stored row, as the REST API answers it: an attribute defined as `datetime`
    /// is a `date` (the answer's types are string, integer, float, boolean and date), and a list attribute's options,
    /// given as `[{"value": …}]`, are their values.
    static func dataAttribute(_ row: Row) -> JSONValue {
        let name: String = row["name"]
        let dataType: String = row["data_type"]
        var attribute: JSONObject = [
            "type": "data_attribute", "id": .integer(row["id"]), "model": .string(row["model"]), "name": .string(name),
            "full_name": .string("custom_attributes." + name), "label": .string(name), "description": .string(row["description"]),
            "data_type": .string(dataType == "datetime" ? "date" : dataType), "api_writable": true, "messenger_writable": false, "ui_writable": true, "custom": true,
            "archived": .bool(row["archived"]),
        ]
        if let options = (row["options"] as String?).flatMap({ try? JSONValue(parsing: $0) })?.arrayValue {
            attribute["options"] = .array(options.compactMap { $0.stringValue.map(JSONValue.string) ?? $0["value"]?.stringValue.map(JSONValue.string) })
        }
        return .object(attribute)
    }
}
