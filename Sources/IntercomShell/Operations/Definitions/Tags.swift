import IntercomKit

extension OperationName {
    /// python-intercom's `get_tag`.
    public static let getTag = OperationName(rawValue: "get_tag")
    /// python-intercom's `create_tag` (tags users too).
    public static let createTag = OperationName(rawValue: "create_tag")
    /// python-intercom's `update_tag` (tags or untags users).
    public static let updateTag = OperationName(rawValue: "update_tag")
    /// Every tag of the workspace (REST API 2.x only).
    public static let getTags = OperationName(rawValue: "get_tags")
    /// Delete a tag by name (REST API 2.x only).
    public static let deleteTag = OperationName(rawValue: "delete_tag")
}

/// Tags.
enum TagDefinitions {
    static let all: [OperationDefinition] = [getTag, getTags, createTag, updateTag, deleteTag]

    static let getTags = OperationDefinition(
        name: .getTags, parameters: [], effect: .read, ordering: .everything,
        commands: [
            CommandSpec(
                words: ["tags"], operation: .getTags, positionals: .none, usage: "tags", summary: "List every tag (REST API 2.x only).",
                example: "tags", group: "Tags")
        ],
        v1: nil,
        rest: { _, _, _ throws(ResultRecord.Failure) in .request(.listTags, .read) })

    static let deleteTag = OperationDefinition(
        name: .deleteTag, parameters: [ParameterSpec("name", .string)], effect: .write, ordering: byTagName,
        commands: [
            CommandSpec(
                words: ["delete", "tag"], operation: .deleteTag, positionals: .parameters(["name"]), usage: "delete tag \"<name>\"",
                summary: "Delete a tag, found by name without regard to case (REST API 2.x only).", example: "delete tag \"Old Trial\"",
                group: "Tags", required: ["name"])
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in .tag(.delete(try p.text("name"))) })

    private static let fields = [
        ParameterSpec("name", .string), ParameterSpec("tag_or_untag", .tagAction),
        ParameterSpec("user_ids", .identifierArray), ParameterSpec("emails", .stringArray), ParameterSpec("company", .identifierArray),
    ]

    /// A tag's name orders its lines (names compare without case, as Intercom's do), and so do the companies it names.
    private static let byTagName = OrderingRule.names { operation in
        var keys = Set<OrderingKey>()
        if let name = operation.parameters["name"]?.stringValue { keys.insert(.tag(name.lowercased())) }
        let companies = operation.parameters["company"].map { $0.arrayValue ?? [$0] } ?? []
        for company in companies { if let id = company.stringValue ?? company.integerValue.map({ String($0) }) { keys.insert(.resource("companies/" + id)) } }
        return keys
    }

    static let getTag = OperationDefinition(
        name: .getTag, parameters: [ParameterSpec("name", .string)], effect: .read, ordering: byTagName,
        commands: [
            CommandSpec(
                words: ["find", "tag"], operation: .getTag, positionals: .parameters(["name"]),
                usage: "find tag \"<name>\"", summary: "Show a tag and how many users carry it.",
                example: "find tag \"Free Trial\"", group: "Tags")
        ],
        v1: { p, _ in .single(try .getTag(name: p.required("name"))) },
        rest: { _, p, _ throws(ResultRecord.Failure) in .tag(.find(try p.text("name"))) })

    static let createTag = OperationDefinition(
        name: .createTag, parameters: fields, effect: .idempotentWrite, ordering: byTagName,
        commands: [
            CommandSpec(
                words: ["tag"], operation: .createTag, fixed: ["tag_or_untag": "tag"], positionals: .tagNameThenIdentifiers,
                usage: "tag \"<name>\" <ident…> | company=<company_id>",
                summary: "Create a tag if needed and tag users (idents with @ are emails) or, on 2.x, companies.",
                example: "tag \"Free Trial\" abc123 def456 ana@example.com", group: "Tags")
        ],
        v1: { p, _ in
            try refuseCompanies(p)
            return .single(try .createTag(name: p.required("name"), tagOrUntag: p.tagAction, userIDs: p.strings("user_ids"), emails: p.strings("emails")))
        },
        rest: { _, p, _ throws(ResultRecord.Failure) in
            if let goal = try companyGoal(p) { return goal }
            return .tag(try tagGoal(p))
        })

    static let updateTag = OperationDefinition(
        name: .updateTag, parameters: fields, effect: .idempotentWrite, ordering: byTagName,
        commands: [
            CommandSpec(
                words: ["untag"], operation: .updateTag, fixed: ["tag_or_untag": "untag"], positionals: .tagNameThenIdentifiers,
                usage: "untag \"<name>\" <ident…> | company=<company_id>", summary: "Remove users or, on 2.x, companies from a tag.",
                example: "untag \"Free Trial\" abc123", group: "Tags")
        ],
        v1: { p, _ in
            try refuseCompanies(p)
            return .single(try .updateTag(name: p.required("name"), tagOrUntag: p.tagAction, userIDs: p.strings("user_ids"), emails: p.strings("emails")))
        },
        rest: { _, p, _ throws(ResultRecord.Failure) in
            if let goal = try companyGoal(p) { return goal }
            return .tag(try tagGoal(p))
        })

    /// Tagging companies (`company=6` or several): one `POST /tags` naming them by company_id, each with `untag` when
    /// taking the tag off; nil when the line names no company.
    static func companyGoal(_ p: CheckedParameters) throws(ResultRecord.Failure) -> RestGoal? {
        guard let companies = p.strings("company") else { return nil }
        guard !companies.isEmpty, !companies.contains(where: \.isEmpty) else { throw .invalidInput("company= needs a company_id") }
        guard p.strings("user_ids") == nil, p.strings("emails") == nil else { throw .invalidInput("tag users or companies in one line, not both") }
        let untag = p.tagAction == .untag
        let items: [JSONValue] = companies.map { untag ? ["company_id": .string($0), "untag": true] : ["company_id": .string($0)] }
        let body: JSONObject = ["name": .string(try p.text("name")), "companies": .array(items)]
        return .request(IntercomRequest(method: .post, path: "tags", body: body), .idempotentWrite)
    }

    /// v1 tags users only.
    static func refuseCompanies(_ p: CheckedParameters) throws {
        if p.values["company"] != nil { throw InputError.needsRestAPI("company= on a tag exists on the REST API 2.x only (--api-version 2.16)") }
    }

    /// Tag (or untag) the named users; with none named, make sure the tag exists.
    static func tagGoal(_ p: CheckedParameters) throws(ResultRecord.Failure) -> TagPlan.Goal {
        let tagName = try p.text("name")
        let users = (p.strings("user_ids") ?? []).map(UserIdentifier.userID) + (p.strings("emails") ?? []).map(UserIdentifier.email)
        guard users.isEmpty || p.tagAction != nil else {
            throw .invalidInput("tag_or_untag (tag or untag) is required when user_ids or emails are given")
        }
        return p.tagAction == .untag ? .untag(tagName, users) : .tag(tagName, users)
    }
}
