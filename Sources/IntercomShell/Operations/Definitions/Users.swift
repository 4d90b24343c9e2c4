import IntercomKit

extension OperationName {
    /// python-intercom's `get_user`: one user.
    public static let getUser = OperationName(rawValue: "get_user")
    /// python-intercom's `get_users`: one page of users.
    public static let getUsers = OperationName(rawValue: "get_users")
    /// Every page of `get_users`, one record per user.
    public static let allUsers = OperationName(rawValue: "all_users")
    /// python-intercom's `create_user` (an upsert).
    public static let createUser = OperationName(rawValue: "create_user")
    /// python-intercom's `update_user`.
    public static let updateUser = OperationName(rawValue: "update_user")
    /// python-intercom's `delete_user`.
    public static let deleteUser = OperationName(rawValue: "delete_user")
    /// Archive a contact (REST API 2.x only).
    public static let archiveUser = OperationName(rawValue: "archive_user")
    /// Unarchive a contact (REST API 2.x only).
    public static let unarchiveUser = OperationName(rawValue: "unarchive_user")
    /// Search contacts (REST API 2.x only).
    public static let searchUsers = OperationName(rawValue: "search_users")
}

/// Users (contacts on the REST API 2.x).
enum UserDefinitions {
    static let all: [OperationDefinition] = [getUser, allUsers, getUsers, createUser, updateUser, deleteUser, archiveUser, unarchiveUser, searchUsers]

    static let getUser = OperationDefinition(
        name: .getUser, parameters: CommonParameters.ident + [ParameterSpec("id", .string)], effect: .read,
        commands: [
            CommandSpec(
                words: ["find", "user"], operation: .getUser, positionals: .identifier(then: []),
                usage: "find user <ident> | email=<email> | user_id=<id> | id=<contact id, 2.x>", summary: "Show one user.",
                example: "find user email=somebody@example.com", group: "Users")
        ],
        v1: { p, _ in
            if p.string("id") != nil { throw InputError.needsRestAPI("get_user's id (an Intercom contact id) exists on the REST API 2.x only (--api-version 2.16)") }
            return .single(try .getUser(p.identifier))
        },
        rest: { _, p, _ throws(ResultRecord.Failure) in
            if let id = p.string("id") { return .contact(.showByID(id)) }
            return .contact(.show(try p.user()))
        })

    static let allUsers = OperationDefinition(
        name: .allUsers, parameters: [ParameterSpec("per_page", .integer), ParameterSpec("tag_id", .string), ParameterSpec("tag_name", .string)],
        effect: .read, yieldsItems: true, ordering: .everything,
        commands: [
            CommandSpec(
                words: ["users", "all"], operation: .allUsers, positionals: .none,
                usage: "users all [per_page=N] [tag_id=<id>] [tag_name=<name>]", summary: "List every user, page after page (one record each).",
                example: "users all tag_name=\"Free Trial\"", group: "Users")
        ],
        v1: { p, _ in
            let perPage = p.int("per_page") ?? 500
            guard (1...500).contains(perPage) else { throw InputError("per_page must be from 1 to 500, not \(perPage)") }
            return .userPages(perPage: perPage, tagID: p.string("tag_id"), tagName: p.string("tag_name"))
        },
        rest: { _, p, _ throws(ResultRecord.Failure) in try pageGoal(p, all: true) })

    static let getUsers = OperationDefinition(
        name: .getUsers,
        parameters: [ParameterSpec("page", .integer), ParameterSpec("per_page", .integer), ParameterSpec("tag_id", .string), ParameterSpec("tag_name", .string)],
        effect: .read, yieldsItems: true, ordering: .everything,
        commands: [
            CommandSpec(
                words: ["users"], operation: .getUsers, positionals: .none,
                usage: "users [page=N] [per_page=N] [tag_id=<id>] [tag_name=<name>]", summary: "List one page of users.",
                example: "users page=2 per_page=50", group: "Users")
        ],
        v1: { p, _ in
            .single(try .getUsers(page: p.int("page"), perPage: p.int("per_page"), tagID: p.string("tag_id"), tagName: p.string("tag_name")))
        },
        rest: { _, p, _ throws(ResultRecord.Failure) in try pageGoal(p, all: false) })

    static let createUser = OperationDefinition(
        name: .createUser, parameters: CommonParameters.userFields, effect: .idempotentWrite, ordering: withCompanies,
        commands: [
            CommandSpec(
                words: ["create", "user"], operation: .createUser, positionals: .identifier(then: []),
                usage: "create user [<ident>] <key=value…>", summary: "Create a user, or update the one with the same user_id or email.",
                example: "create user email=ben@intercom.io name=\"Ben McRedmond\" custom_data.plan=pro", group: "Users")
        ],
        v1: { p, _ in .single(try .createUser(p.userAttributes)) },
        rest: { _, p, _ throws(ResultRecord.Failure) in try upsertGoal(p, operation: .createUser) })

    static let updateUser = OperationDefinition(
        name: .updateUser, parameters: CommonParameters.userFields, effect: .idempotentWrite, ordering: withCompanies,
        commands: [
            CommandSpec(
                words: ["update", "user"], operation: .updateUser, positionals: .identifier(then: []),
                usage: "update user <ident> <key=value…>", summary: "Update a user.",
                example: "update user 123 name=Guido custom_data.seats=3", group: "Users")
        ],
        v1: { p, _ in .single(try .updateUser(p.userAttributes)) },
        rest: { _, p, _ throws(ResultRecord.Failure) in try upsertGoal(p, operation: .updateUser) })

    static let deleteUser = OperationDefinition(
        name: .deleteUser, parameters: CommonParameters.ident, effect: .write,
        commands: [
            CommandSpec(
                words: ["delete", "user"], operation: .deleteUser, positionals: .identifier(then: []),
                usage: "delete user <ident>", summary: "Delete a user (answers with the user as it was).",
                example: "delete user somebody@example.com", group: "Users")
        ],
        v1: { p, _ in .single(try .deleteUser(p.identifier)) },
        rest: { _, p, _ throws(ResultRecord.Failure) in .contact(.delete(try p.user())) })

    static let archiveUser = OperationDefinition(
        name: .archiveUser, parameters: CommonParameters.ident + [ParameterSpec("id", .string)], effect: .idempotentWrite,
        commands: [
            CommandSpec(
                words: ["archive", "user"], operation: .archiveUser, positionals: .identifier(then: []),
                usage: "archive user <ident> | id=<contact id>", summary: "Archive a contact (REST API 2.x only).",
                example: "archive user somebody@example.com", group: "Users")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            let id = p.string("id")
            return .contact(.archive(id == nil ? try p.user() : p.identifier, id: id))
        })

    static let unarchiveUser = OperationDefinition(
        name: .unarchiveUser, parameters: CommonParameters.ident + [ParameterSpec("id", .string)], effect: .idempotentWrite,
        commands: [
            CommandSpec(
                words: ["unarchive", "user"], operation: .unarchiveUser, positionals: .identifier(then: []),
                usage: "unarchive user id=<contact id> | <ident archived in this run>",
                summary: "Unarchive a contact, found by its Intercom id only (REST API 2.x only).",
                example: "unarchive user id=5ba682d23d7cf92bef87bfd4", group: "Users")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            let id = p.string("id")
            return .contact(.unarchive(id == nil ? try p.user() : p.identifier, id: id))
        })

    static let searchUsers = OperationDefinition(
        name: .searchUsers, parameters: [ParameterSpec("query", .searchQuery(.contacts)), ParameterSpec("per_page", .integer)],
        effect: .read, yieldsItems: true, ordering: .everything,
        commands: [
            CommandSpec(
                words: ["search", "users"], operation: .searchUsers, positionals: .searchFilter(.contacts),
                usage: "search users <field> <op> <value> [and|or …] [per_page=N]",
                summary: "List the contacts matching a filter, one record each (REST API 2.x only); ops = != ~ !~ ^ $ < <= > >= in nin.",
                example: "search users email ~ example.com and (role = lead or created_at > 2026-11-01)", group: "Users",
                required: ["query"])
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            guard let json = p.values["query"], let query = try? SearchQuery(json: json) else { throw .invalidInput("search_users needs a query") }
            let perPage = p.int("per_page") ?? 150
            guard (1...150).contains(perPage) else { throw .invalidInput("per_page must be from 1 to 150, not \(perPage)") }
            return .search(query, perPage: perPage)
        })

    /// A page of contacts (`all`: every page), by tag id or by a tag name looked up first.
    static func pageGoal(_ p: CheckedParameters, all: Bool) throws(ResultRecord.Failure) -> RestGoal {
        let perPage = p.int("per_page") ?? (all ? 150 : 50)
        guard (1...150).contains(perPage) else { throw .invalidInput("per_page must be from 1 to 150 on the REST API (2.x), not \(perPage)") }
        let page = p.int("page") ?? 1
        guard page >= 1 else { throw .invalidInput("page must be 1 or more, not \(page)") }
        if let tagName = p.string("tag_name"), p.string("tag_id") == nil {
            return .taggedPage(tagName: tagName, page: page, perPage: perPage, all: all)
        }
        return all ? .allContacts(perPage: perPage, tagID: p.string("tag_id")) : .contact(.page(page, perPage: perPage, tagID: p.string("tag_id")))
    }

    /// A user line is ordered with the lines about the companies it names.
    static let withCompanies = OrderingRule.names { operation in
        let companies = (operation.parameters["companies"]?.arrayValue ?? []) + (operation.parameters["company"].map { [$0] } ?? [])
        return Set(companies.compactMap { company in
            (company["id"]?.stringValue ?? company["id"]?.integerValue.map { String($0) }).map { OrderingKey.resource("companies/" + $0) }
        })
    }

    /// A create or update: the contact's upsert, after the upserts of the companies v1's `company`/`companies` name.
    static func upsertGoal(_ p: CheckedParameters, operation: OperationName) throws(ResultRecord.Failure) -> RestGoal {
        let user = try p.user()
        let companies = (p.values["companies"]?.arrayValue ?? []) + (p.values["company"].map { [$0] } ?? [])
        var rest = p.values
        rest["company"] = nil
        rest["companies"] = nil
        let fields = try contactFields(CheckedParameters(values: rest), operation: operation)
        guard !companies.isEmpty else { return .contact(.upsert(user, fields)) }
        var bodies: [JSONObject] = []
        for (index, company) in companies.enumerated() { bodies.append(try companyBody(company.objectValue ?? [:], index: index)) }
        return .upsertWithCompanies(user, fields, companies: bodies)
    }

    /// v1's company object as 2.x's company fields: id → company_id, created_at → remote_created_at, custom_data →
    /// custom_attributes; name, plan, monthly_spend, size, website and industry as they are. Anything else is refused.
    static func companyBody(_ company: JSONObject, index: Int) throws(ResultRecord.Failure) -> JSONObject {
        let renamed = ["id": "company_id", "created_at": "remote_created_at", "custom_data": "custom_attributes"]
        let kept: Set<String> = ["name", "plan", "monthly_spend", "size", "website", "industry", "custom_attributes"]
        var body: JSONObject = [:]
        for (key, value) in company where !value.isNull {
            guard let target = renamed[key] ?? (kept.contains(key) ? key : nil) else {
                throw .invalidInput("company \(index + 1)'s \(key) has no counterpart on the REST API (2.x); nothing was sent")
            }
            switch (target, value) {
            case ("company_id", .integer(let number)): body[target] = .string(String(number))
            case ("monthly_spend", .double(let amount)): body[target] = .integer(Int64(amount.rounded()))
            default: body[target] = value
            }
        }
        return body
    }

    /// The v1 user parameters as contact fields: user_id → external_id, created_at → signed_up_at, custom_data →
    /// custom_attributes, last_request_at (or last_impression_at) → last_seen_at. Parameters with no 2.x counterpart
    /// are refused by name rather than dropped.
    static func contactFields(_ p: CheckedParameters, operation: OperationName) throws(ResultRecord.Failure) -> JSONObject {
        let unmapped = ["last_seen_ip", "last_seen_user_agent", "companies", "company", "increments"]
        // `company`/`companies` are taken apart by ``upsertGoal(_:operation:)`` before this.
        if let key = unmapped.first(where: { p.values[$0] != nil }) {
            throw .invalidInput("\(operation.rawValue)'s \(key) has no counterpart on the REST API (2.x); nothing was sent")
        }
        var fields: JSONObject = [:]
        if let userID = p.string("user_id") { fields["external_id"] = .string(userID) }
        if let email = p.string("email") { fields["email"] = .string(email) }
        if let name = p.string("name") { fields["name"] = .string(name) }
        if let created = p.int64("created_at") { fields["signed_up_at"] = .integer(created) }
        if let seen = p.int64("last_request_at") ?? p.int64("last_impression_at") { fields["last_seen_at"] = .integer(seen) }
        if let unsubscribed = p.bool("unsubscribed_from_emails") { fields["unsubscribed_from_emails"] = .bool(unsubscribed) }
        if let custom = p.object("custom_data") { fields["custom_attributes"] = .object(custom) }
        return fields
    }
}
