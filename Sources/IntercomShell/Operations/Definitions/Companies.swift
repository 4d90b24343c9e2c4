import IntercomKit

extension OperationName {
    /// Create a company, or update the one with the same `company_id` (REST API 2.x only).
    public static let createCompany = OperationName(rawValue: "create_company")
    /// Update a company's fields (REST API 2.x only).
    public static let updateCompany = OperationName(rawValue: "update_company")
    /// One company, by `company_id`, id or name (REST API 2.x only).
    public static let getCompany = OperationName(rawValue: "get_company")
    /// One page of the companies (REST API 2.x only).
    public static let getCompanies = OperationName(rawValue: "get_companies")
    /// Every company, through the scroll API (REST API 2.x only).
    public static let allCompanies = OperationName(rawValue: "all_companies")
    /// Delete a company (REST API 2.x only).
    public static let deleteCompany = OperationName(rawValue: "delete_company")
    /// Attach a contact to a company (REST API 2.x only).
    public static let attachCompany = OperationName(rawValue: "attach_company")
    /// Detach a contact from a company (REST API 2.x only).
    public static let detachCompany = OperationName(rawValue: "detach_company")
    /// The contacts attached to a company (REST API 2.x only).
    public static let companyUsers = OperationName(rawValue: "company_users")
    /// The companies a contact is attached to (REST API 2.x only).
    public static let userCompanies = OperationName(rawValue: "user_companies")
}

/// Companies, and the contacts attached to them.
enum CompanyDefinitions {
    static let all: [OperationDefinition] = [
        createCompany, updateCompany, getCompany, allCompanies, getCompanies, deleteCompany, attachCompany, detachCompany, companyUsers,
        userCompanies,
    ]

    /// A company's names.
    static let names = [ParameterSpec("company_id", .identifier), ParameterSpec("id", .identifier)]
    /// The fields a create or update sets.
    static let fields = [
        ParameterSpec("name", .string), ParameterSpec("plan", .string), ParameterSpec("size", .integer), ParameterSpec("website", .string),
        ParameterSpec("industry", .string), ParameterSpec("monthly_spend", .integer), ParameterSpec("remote_created_at", .timestamp),
        ParameterSpec("custom_attributes", .flatObject),
    ]

    /// Ordered with every line about the same company.
    static let byCompany = OrderingRule.names { operation in
        guard let given = operation.parameters["company_id"].flatMap(text) ?? operation.parameters["id"].flatMap(text) else { return [] }
        return [.resource("companies/" + given)]
    }

    static let createCompany = OperationDefinition(
        name: .createCompany, parameters: [ParameterSpec("company_id", .identifier)] + fields, effect: .idempotentWrite, ordering: byCompany,
        commands: [
            CommandSpec(
                words: ["create", "company"], operation: .createCompany, positionals: .parameters(["company_id"]),
                usage: "create company <company_id> [name=…] [plan=…] [size=N] [website=…] [industry=…] [custom_attributes.k=v…]",
                summary: "Create a company, or update the one with this company_id (REST API 2.x only).",
                example: "create company 6 name=\"Blue Sun\" plan=pro size=87", group: "Companies")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            var body = companyFields(p)
            body["company_id"] = .string(try p.text("company_id"))
            return .company(.upsert(body))
        })

    static let updateCompany = OperationDefinition(
        name: .updateCompany, parameters: names + fields, effect: .idempotentWrite, ordering: byCompany,
        commands: [
            CommandSpec(
                words: ["update", "company"], operation: .updateCompany, positionals: .parameters(["company_id"]),
                usage: "update company <company_id> | id=<id> <key=value…>", summary: "Update a company's fields (REST API 2.x only).",
                example: "update company 6 plan=enterprise custom_attributes.seats=20", group: "Companies")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in .company(.update(try company(p), companyFields(p))) })

    static let getCompany = OperationDefinition(
        name: .getCompany, parameters: names + [ParameterSpec("name", .string)], effect: .read, ordering: byCompany,
        commands: [
            CommandSpec(
                words: ["find", "company"], operation: .getCompany, positionals: .parameters(["company_id"]),
                usage: "find company <company_id> | id=<id> | name=<name>", summary: "Show one company (REST API 2.x only).",
                example: "find company 6", group: "Companies")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            if p.string("company_id") == nil, p.string("id") == nil, p.values["name"] != nil { return .company(.find(nil, name: try p.text("name"))) }
            if p.values["name"] != nil { throw .invalidInput("give a company_id, an id or a name, one of them") }
            return .company(.find(try company(p), name: nil))
        })

    static let allCompanies = OperationDefinition(
        name: .allCompanies, parameters: [], effect: .read, yieldsItems: true, ordering: .everything,
        commands: [
            CommandSpec(
                words: ["companies", "all"], operation: .allCompanies, positionals: .none, usage: "companies all",
                summary: "List every company through the scroll API, one record each, past 10,000 (REST API 2.x only).",
                example: "companies all", group: "Companies")
        ],
        v1: nil,
        rest: { _, _, _ throws(ResultRecord.Failure) in .walk(IntercomRequest(method: .get, path: "companies/scroll")) })

    static let getCompanies = OperationDefinition(
        name: .getCompanies, parameters: [ParameterSpec("page", .integer), ParameterSpec("per_page", .integer)], effect: .read,
        ordering: .everything,
        commands: [
            CommandSpec(
                words: ["companies"], operation: .getCompanies, positionals: .none, usage: "companies [page=N] [per_page=N]",
                summary: "List one page of companies (REST API 2.x only).", example: "companies page=2 per_page=50", group: "Companies")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            let page = p.int("page") ?? 1
            let perPage = p.int("per_page") ?? 15
            guard page >= 1 else { throw .invalidInput("page must be 1 or more, not \(page)") }
            guard (1...150).contains(perPage) else { throw .invalidInput("per_page must be from 1 to 150, not \(perPage)") }
            return .company(.page(page, perPage: perPage))
        })

    static let deleteCompany = OperationDefinition(
        name: .deleteCompany, parameters: names, effect: .write, ordering: byCompany,
        commands: [
            CommandSpec(
                words: ["delete", "company"], operation: .deleteCompany, positionals: .parameters(["company_id"]),
                usage: "delete company <company_id> | id=<id>", summary: "Delete a company (REST API 2.x only).",
                example: "delete company 6", group: "Companies")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in .company(.delete(try company(p))) })

    static let attachCompany = OperationDefinition(
        name: .attachCompany, parameters: names + CommonParameters.ident, effect: .idempotentWrite, ordering: byCompany,
        commands: [
            CommandSpec(
                words: ["attach", "company"], operation: .attachCompany, positionals: .parametersThenIdentifier(["company_id"]),
                usage: "attach company <company_id> <ident>", summary: "Attach a contact to a company (REST API 2.x only).",
                example: "attach company 6 somebody@example.com", group: "Companies")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in .company(.attach(try company(p), try p.user())) })

    static let detachCompany = OperationDefinition(
        name: .detachCompany, parameters: names + CommonParameters.ident, effect: .idempotentWrite, ordering: byCompany,
        commands: [
            CommandSpec(
                words: ["detach", "company"], operation: .detachCompany, positionals: .parametersThenIdentifier(["company_id"]),
                usage: "detach company <company_id> <ident>", summary: "Detach a contact from a company (REST API 2.x only).",
                example: "detach company 6 somebody@example.com", group: "Companies")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in .company(.detach(try company(p), try p.user())) })

    static let companyUsers = OperationDefinition(
        name: .companyUsers, parameters: names, effect: .read, ordering: byCompany,
        commands: [
            CommandSpec(
                words: ["company", "users"], operation: .companyUsers, positionals: .parameters(["company_id"]),
                usage: "company users <company_id> | id=<id>", summary: "List the contacts attached to a company (REST API 2.x only).",
                example: "company users 6", group: "Companies")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in .company(.contacts(try company(p))) })

    static let userCompanies = OperationDefinition(
        name: .userCompanies, parameters: CommonParameters.ident, effect: .read,
        commands: [
            CommandSpec(
                words: ["user", "companies"], operation: .userCompanies, positionals: .identifier(then: []),
                usage: "user companies <ident>", summary: "List the companies a contact is attached to (REST API 2.x only).",
                example: "user companies somebody@example.com", group: "Companies")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in .company(.companies(of: try p.user())) })

    /// The company a line names: its company_id, else its Intercom id.
    static func company(_ p: CheckedParameters) throws(ResultRecord.Failure) -> CompanyPlan.Company {
        if p.string("company_id") != nil && p.string("id") != nil { throw .invalidInput("give a company_id or an id, not both") }
        if let given = p.string("company_id"), !given.isEmpty { return .companyID(given) }
        if let id = p.string("id"), !id.isEmpty { return .id(id) }
        throw .invalidInput("a company_id or an id must be given")
    }

    /// The company fields a line sets, as the API takes them.
    static func companyFields(_ p: CheckedParameters) -> JSONObject {
        var body: JSONObject = [:]
        for spec in fields { if let value = p.values[spec.name] { body[spec.name] = value } }
        return body
    }

    private static func text(_ value: JSONValue) -> String? { value.stringValue ?? value.integerValue.map { String($0) } }
}
