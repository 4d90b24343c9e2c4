import GRDB
import IntercomKit

/// Custom data attributes of contacts, as the REST API (2.x) enforces them: a contact may carry only attributes the
/// workspace has defined. The v1 face defines an attribute the first time a user carries it, as v1 did.
extension SandboxStore {
    /// Every custom contact attribute: `{type: "list", data: [data_attribute…]}`.
    func dataAttributes() throws(SandboxError) -> JSONValue {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, name, data_type FROM data_attributes ORDER BY id")
            return ["type": "list", "data": .array(rows.map { Self.dataAttribute(id: $0["id"], name: $0["name"], type: $0["data_type"]) })]
        }
    }

    /// The data type of every custom contact attribute, by name.
    func dataAttributeTypes() throws(SandboxError) -> [String: String] {
        try read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT name, data_type FROM data_attributes").map { ($0["name"], $0["data_type"]) }) { _, last in last }
        }
    }

    /// Defines a custom contact attribute; one that exists already is a 400 naming it.
    func createDataAttribute(name: String, dataType: String) throws(SandboxError) -> JSONValue {
        guard ["string", "integer", "float", "boolean", "date", "datetime"].contains(dataType) else {
            throw SandboxError.restInvalid("data_type must be string, integer, float, boolean, date or datetime, not \(dataType)")
        }
        guard !name.isEmpty, !name.contains("."), !name.contains("$") else {
            throw SandboxError.restInvalid("The name of a data attribute cannot be empty or contain . or $")
        }
        return try write { db in
            if try Self.definedAttributes(db).contains(name) {
                throw SandboxError.restInvalid("You already have '\(name)' in your workspace. Please choose a different name.")
            }
            try db.run("INSERT INTO data_attributes (name, data_type) VALUES (?, ?)", [name, dataType])
            return Self.dataAttribute(id: db.lastInsertedRowID, name: name, type: dataType)
        }
    }

    /// Refuses custom attributes the workspace has not defined (a 400 naming the first).
    static func checkDefined(_ db: Database, _ attributes: JSONObject?) throws {
        guard let attributes, !attributes.isEmpty else { return }
        let defined = try definedAttributes(db)
        if let unknown = attributes.keys.sorted().first(where: { !defined.contains($0) }) {
            throw SandboxError(
                status: 400, type: "parameter_invalid",
                message: "Custom attribute '\(unknown)' does not exist: define it first (POST /data_attributes)")
        }
    }

    /// Defines, as v1 did on first use, the custom attributes a v1 user carries (type from the value).
    static func defineOnFirstUse(_ db: Database, _ attributes: JSONObject) throws {
        for (name, value) in attributes {
            try db.run("INSERT OR IGNORE INTO data_attributes (name, data_type) VALUES (?, ?)", [name, DataAttributeType.of(value)])
        }
    }

    private static func definedAttributes(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM data_attributes")))
    }

    static func dataAttribute(id: Int64, name: String, type: String) -> JSONValue {
        [
            "type": "data_attribute", "id": .integer(id), "model": "contact", "name": .string(name),
            "full_name": .string("custom_attributes." + name), "label": .string(name), "description": "", "data_type": .string(type),
            "api_writable": true, "messenger_writable": false, "ui_writable": true, "custom": true, "archived": false,
        ]
    }
}
