import IntercomKit

extension OperationName {
    /// The custom data attributes of contacts or companies (REST API 2.x only).
    public static let getAttributes = OperationName(rawValue: "get_attributes")
    /// Define a custom data attribute (REST API 2.x only).
    public static let createAttribute = OperationName(rawValue: "create_attribute")
    /// Archive an attribute or change its description or options (REST API 2.x only).
    public static let updateAttribute = OperationName(rawValue: "update_attribute")
}

/// Data attributes: a contact or company can carry only the custom attributes the workspace has defined.
enum AttributeDefinitions {
    static let all: [OperationDefinition] = [getAttributes, createAttribute, updateAttribute]

    /// The models attributes belong to.
    static let models = ["contact", "company"]
    /// The data types an attribute may take.
    static let dataTypes = ["string", "integer", "float", "boolean", "date", "datetime"]

    /// Ordered with every line about attributes of the same name.
    static let byName = OrderingRule.names { operation in
        guard let name = operation.parameters["name"]?.stringValue ?? operation.parameters["id"]?.stringValue else { return [] }
        return [.resource("data_attributes/" + name)]
    }

    static let getAttributes = OperationDefinition(
        name: .getAttributes, parameters: [ParameterSpec("model", .string), ParameterSpec("archived", .boolean)], effect: .read,
        ordering: .everything,
        commands: [
            CommandSpec(
                words: ["attributes"], operation: .getAttributes, positionals: .none, usage: "attributes [model=contact|company] [archived=true]",
                summary: "List the custom data attributes (archived ones too with archived=true; REST API 2.x only).",
                example: "attributes model=company", group: "Attributes")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            let model = try Self.model(p)
            var query: [(name: String, value: String)] = [("model", model)]
            if p.bool("archived") == true { query.append(("include_archived", "true")) }
            return .request(IntercomRequest(method: .get, path: "data_attributes", query: query), .read)
        })

    static let createAttribute = OperationDefinition(
        name: .createAttribute,
        parameters: [ParameterSpec("name", .string), ParameterSpec("type", .string), ParameterSpec("model", .string), ParameterSpec("description", .string)],
        effect: .write, ordering: byName,
        commands: [
            CommandSpec(
                words: ["create", "attribute"], operation: .createAttribute, positionals: .parameters(["name"]),
                usage: "create attribute <name> type=string|integer|float|boolean|date|datetime [model=contact|company] [description=…]",
                summary: "Define a custom data attribute (REST API 2.x only).", example: "create attribute seats type=integer model=company",
                group: "Attributes", required: ["name", "type"])
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            let type = try p.text("type")
            guard dataTypes.contains(type) else { throw .invalidInput("type must be one of \(dataTypes.joined(separator: ", ")), not \(type)") }
            var body: JSONObject = ["name": .string(try p.text("name")), "model": .string(try Self.model(p)), "data_type": .string(type)]
            if let description = p.string("description") { body["description"] = .string(description) }
            return .request(IntercomRequest(method: .post, path: "data_attributes", body: body), .write)
        })

    static let updateAttribute = OperationDefinition(
        name: .updateAttribute,
        parameters: [ParameterSpec("id", .identifier), ParameterSpec("archived", .boolean), ParameterSpec("description", .string),
            ParameterSpec("options", .stringArray)],
        effect: .idempotentWrite, ordering: byName,
        commands: [
            CommandSpec(
                words: ["update", "attribute"], operation: .updateAttribute, positionals: .parameters(["id"]),
                usage: "update attribute <id> [archived=true|false] [description=…] [options=[\"a\",\"b\"]]",
                summary: "Archive a data attribute or change its description or options (REST API 2.x only).",
                example: "update attribute 12 archived=true", group: "Attributes", required: ["id"])
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            var body: JSONObject = [:]
            if let archived = p.bool("archived") { body["archived"] = .bool(archived) }
            if let description = p.string("description") { body["description"] = .string(description) }
            if let options = p.strings("options") { body["options"] = .array(options.map { ["value": .string($0)] }) }
            guard !body.isEmpty else { throw .invalidInput("update attribute needs archived=, description= or options=") }
            let path = "data_attributes/" + IntercomRequest.pathSegment(try p.text("id"))
            return .request(IntercomRequest(method: .put, path: path, body: body), .idempotentWrite)
        })

    /// The model a line names: contact by default.
    static func model(_ p: CheckedParameters) throws(ResultRecord.Failure) -> String {
        let model = p.string("model") ?? "contact"
        guard models.contains(model) else { throw .invalidInput("model must be contact or company, not \(model)") }
        return model
    }
}
