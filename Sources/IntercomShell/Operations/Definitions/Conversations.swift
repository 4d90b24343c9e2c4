import IntercomKit

extension OperationName {
    /// The conversations matching a search (REST API 2.x only).
    public static let searchConversations = OperationName(rawValue: "search_conversations")
    /// One page of the conversations (REST API 2.x only).
    public static let getConversations = OperationName(rawValue: "get_conversations")
    /// Every conversation (REST API 2.x only).
    public static let allConversations = OperationName(rawValue: "all_conversations")
    /// One conversation with its parts (REST API 2.x only).
    public static let getConversation = OperationName(rawValue: "get_conversation")
    /// A reply to a conversation, as a teammate or its user (REST API 2.x only).
    public static let replyConversation = OperationName(rawValue: "reply_conversation")
    /// An internal note on a conversation (REST API 2.x only).
    public static let noteConversation = OperationName(rawValue: "note_conversation")
    /// Close a conversation (REST API 2.x only).
    public static let closeConversation = OperationName(rawValue: "close_conversation")
    /// Reopen a conversation (REST API 2.x only).
    public static let openConversation = OperationName(rawValue: "open_conversation")
    /// Snooze a conversation until a time (REST API 2.x only).
    public static let snoozeConversation = OperationName(rawValue: "snooze_conversation")
    /// Assign a conversation to an admin or a team (REST API 2.x only).
    public static let assignConversation = OperationName(rawValue: "assign_conversation")
    /// Tag a conversation (REST API 2.x only).
    public static let tagConversation = OperationName(rawValue: "tag_conversation")
    /// Take a tag off a conversation (REST API 2.x only).
    public static let untagConversation = OperationName(rawValue: "untag_conversation")
}

/// Conversations: searched, listed, read, and acted on as a teammate.
enum ConversationDefinitions {
    static let all: [OperationDefinition] = [
        searchConversations, allConversations, getConversations, getConversation, replyConversation, noteConversation, closeConversation,
        openConversation, snoozeConversation, assignConversation, tagConversation, untagConversation,
    ]

    static let group = "Conversations"
    static let id = ParameterSpec("conversation_id", .identifier)
    /// The teammate who acts: `me` (the default), an admin id, name or email.
    static let admin = ParameterSpec("admin", .identifier)
    static let adminDetail = "admin=me (the default: the token's own admin, asked once per run), an admin id, name or email"

    /// Ordered with every line about the same conversation, and (tagging) with every line about the same tag.
    static let byConversation = OrderingRule.names { operation in
        var keys = Set<OrderingKey>()
        if let given = operation.parameters["conversation_id"], let text = given.stringValue ?? given.integerValue.map({ String($0) }) {
            keys.insert(.resource("conversations/" + text))
        }
        if let tag = operation.parameters["name"]?.stringValue { keys.insert(.tag(tag.lowercased())) }
        return keys
    }

    static let searchConversations = OperationDefinition(
        name: .searchConversations, parameters: [ParameterSpec("query", .searchQuery(.conversations)), ParameterSpec("per_page", .integer)],
        effect: .read, yieldsItems: true, ordering: .everything,
        commands: [
            CommandSpec(
                words: ["conversations", "search"], operation: .searchConversations, positionals: .searchFilter(.conversations),
                usage: "conversations search <field> <op> <value> [and|or …] [per_page=N]",
                summary: "List the conversations matching a filter, one record each (REST API 2.x only).",
                example: "conversations search state = open and updated_at > 2026-11-01", group: group, required: ["query"],
                details: [
                    "The filter is that of search users, over the conversation search fields: state, open, read, created_at,",
                    "updated_at, contact_ids, tag_ids, admin_assignee_id, source.author.email, source.body (whole words), …",
                ])
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            guard let query = p.values["query"] else { throw .invalidInput("search_conversations needs a query") }
            let perPage = try perPage(p, default: 150)
            return .walk(.post("conversations/search", ["query": query, "pagination": ["per_page": .integer(Int64(perPage))]]))
        })

    static let allConversations = OperationDefinition(
        name: .allConversations, parameters: [ParameterSpec("per_page", .integer)], effect: .read, yieldsItems: true, ordering: .everything,
        commands: [
            CommandSpec(
                words: ["conversations", "all"], operation: .allConversations, positionals: .none, usage: "conversations all [per_page=N]",
                summary: "List every conversation, page after page, one record each (REST API 2.x only).", example: "conversations all",
                group: group)
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            .walk(IntercomRequest(method: .get, path: "conversations", query: [("per_page", String(try perPage(p, default: 150)))]))
        })

    static let getConversations = OperationDefinition(
        name: .getConversations, parameters: [ParameterSpec("per_page", .integer), ParameterSpec("starting_after", .string)], effect: .read,
        ordering: .everything,
        commands: [
            CommandSpec(
                words: ["conversations"], operation: .getConversations, positionals: .none,
                usage: "conversations [per_page=N] [starting_after=<cursor>]",
                summary: "List one page of conversations (REST API 2.x only); conversations all lists every one.",
                example: "conversations per_page=50", group: group)
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            var query = [(name: "per_page", value: String(try perPage(p, default: 20)))]
            if let cursor = p.string("starting_after") { query.append(("starting_after", cursor)) }
            return .request(IntercomRequest(method: .get, path: "conversations", query: query), .read)
        })

    static let getConversation = OperationDefinition(
        name: .getConversation, parameters: [id], effect: .read, ordering: byConversation,
        commands: [
            CommandSpec(
                words: ["conversation"], operation: .getConversation, positionals: .parameters(["conversation_id"]),
                usage: "conversation <id>", summary: "Show one conversation with its parts (REST API 2.x only).",
                example: "conversation 5591", group: group, required: ["conversation_id"])
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            .request(IntercomRequest(method: .get, path: "conversations/" + IntercomRequest.pathSegment(try p.text("conversation_id"))), .read)
        })

    static let replyConversation = action(
        .replyConversation, words: ["reply", "conversation"], extra: [ParameterSpec("body", .string), ParameterSpec("as", .string)] + CommonParameters.ident,
        positionals: ["conversation_id", "body"], effect: .write,
        usage: "reply conversation <id> \"<body>\" [as=admin|user] [admin=me|<admin>] [user_id=…|email=…]",
        summary: "Reply to a conversation as a teammate, or as its user (REST API 2.x only).",
        example: "reply conversation 5591 \"Happy to help\"",
        details: [
            "as=admin (the default) replies as the teammate \(adminDetail).",
            "as=user replies as the user named by user_id= or email=, or else as the conversation's contact.",
        ]
    ) { p, _ throws(ResultRecord.Failure) in
        let body = try message(p, required: true) ?? ""
        switch p.string("as") ?? "admin" {
        case "admin":
            guard p.identifier.userID == nil, p.identifier.email == nil else { throw .invalidInput("user_id= and email= go with as=user") }
            return .reply(body, .admin(teammate(p)))
        case "user":
            guard p.string("admin") == nil else { throw .invalidInput("admin= goes with as=admin") }
            let user = p.identifier
            guard user.userID == nil || user.email == nil else { throw .invalidInput("as=user names the user by user_id= or by email=, not both") }
            return .reply(body, .user(user.userID == nil && user.email == nil ? nil : user))
        case let other: throw .invalidInput("as must be admin or user, not '\(other)'")
        }
    }

    static let noteConversation = action(
        .noteConversation, words: ["note", "conversation"], extra: [ParameterSpec("body", .string)], positionals: ["conversation_id", "body"],
        effect: .write, usage: "note conversation <id> \"<body>\" [admin=me|<admin>]",
        summary: "Add an internal note to a conversation (REST API 2.x only).", example: "note conversation 5591 \"Refund approved\"",
        details: ["The note is written as the teammate \(adminDetail)."]
    ) { p, _ throws(ResultRecord.Failure) in .note(try message(p, required: true) ?? "") }

    static let closeConversation = action(
        .closeConversation, words: ["close", "conversation"], extra: [ParameterSpec("body", .string)], positionals: ["conversation_id", "body"],
        effect: .idempotentWrite, usage: "close conversation <id> [\"<body>\"] [admin=me|<admin>]",
        summary: "Close a conversation, with an optional message (REST API 2.x only).", example: "close conversation 5591 \"Solved\"",
        details: ["Closed as the teammate \(adminDetail)."]
    ) { p, _ throws(ResultRecord.Failure) in .close(try message(p, required: false)) }

    static let openConversation = action(
        .openConversation, words: ["open", "conversation"], extra: [], positionals: ["conversation_id"], effect: .idempotentWrite,
        usage: "open conversation <id> [admin=me|<admin>]", summary: "Reopen a closed or snoozed conversation (REST API 2.x only).",
        example: "open conversation 5591", details: ["Opened as the teammate \(adminDetail)."]
    ) { _, _ throws(ResultRecord.Failure) in .open }

    static let snoozeConversation = action(
        .snoozeConversation, words: ["snooze", "conversation"], extra: [ParameterSpec("until", .timestamp)], positionals: ["conversation_id"],
        effect: .idempotentWrite, usage: "snooze conversation <id> until=<date> [admin=me|<admin>]",
        summary: "Snooze a conversation until a time (REST API 2.x only).", example: "snooze conversation 5591 until=2026-12-24T09:00:00Z",
        details: ["until= is a Unix time or an ISO 8601 date or date-time; snoozed as the teammate \(adminDetail)."]
    ) { p, now throws(ResultRecord.Failure) in
        guard let until = p.int64("until") else { throw .invalidInput("until= is required: when the conversation wakes (a date or Unix time)") }
        guard until > now else { throw .invalidInput("until= must be in the future, not \(until) (Unix seconds; a date is YYYY-MM-DD)") }
        return .snooze(until: until)
    }

    static let assignConversation = action(
        .assignConversation, words: ["assign", "conversation"], extra: [ParameterSpec("to", .identifier), ParameterSpec("body", .string)],
        positionals: ["conversation_id", "body"], effect: .idempotentWrite,
        usage: "assign conversation <id> to=me|<admin>|<team id>|0 [\"<body>\"] [admin=me|<admin>]",
        summary: "Assign a conversation to an admin or a team (REST API 2.x only).", example: "assign conversation 5591 to=me",
        details: [
            "to= is me, an admin's id, name or email, a team's id (an id no admin has), or 0 for nobody.",
            "Assigned by the teammate \(adminDetail).",
        ]
    ) { p, _ throws(ResultRecord.Failure) in .assign(to: TeammateReference(try p.text("to")), body: try message(p, required: false)) }

    static let tagConversation = action(
        .tagConversation, words: ["tag", "conversation"], extra: [ParameterSpec("name", .string)], positionals: ["conversation_id", "name"],
        effect: .idempotentWrite, usage: "tag conversation <id> \"<tag>\" [admin=me|<admin>]",
        summary: "Tag a conversation, creating the tag if needed (REST API 2.x only).", example: "tag conversation 5591 \"Billing\"",
        details: ["Tagged by the teammate \(adminDetail)."]
    ) { p, _ throws(ResultRecord.Failure) in .tag(try p.text("name")) }

    static let untagConversation = action(
        .untagConversation, words: ["untag", "conversation"], extra: [ParameterSpec("name", .string)], positionals: ["conversation_id", "name"],
        effect: .idempotentWrite, usage: "untag conversation <id> \"<tag>\" [admin=me|<admin>]",
        summary: "Take a tag off a conversation (REST API 2.x only).", example: "untag conversation 5591 \"Billing\"",
        details: ["Untagged by the teammate \(adminDetail)."]
    ) { p, _ throws(ResultRecord.Failure) in .untag(try p.text("name")) }

    /// The row of a teammate's action on a conversation: its id, `admin=`, and `extra` parameters; `build` makes the
    /// action from the checked parameters.
    static func action(
        _ name: OperationName, words: [String], extra: [ParameterSpec], positionals: [String], effect: OperationEffect, usage: String,
        summary: String, example: String, details: [String],
        build: @escaping @Sendable (CheckedParameters, Int64) throws(ResultRecord.Failure) -> ConversationActionPlan.Action
    ) -> OperationDefinition {
        // A message the customer or the team sees is posted at most once: with a body, an action is a write.
        let effectOf: @Sendable (JSONObject) -> OperationEffect = { parameters in parameters["body"] == nil ? effect : .write }
        return OperationDefinition(
            name: name, parameters: [id] + extra + [admin], effectOf: effectOf, yieldsItemsOf: { _ in false }, ordering: byConversation,
            commands: [
                CommandSpec(
                    words: words, operation: name, positionals: .parameters(positionals), usage: usage, summary: summary, example: example,
                    group: group, required: ["conversation_id"], details: details)
            ],
            v1: nil,
            rest: { _, p, now throws(ResultRecord.Failure) in
                let action = try build(p, now())
                return .conversationAction(ConversationActionPlan.Goal(try p.text("conversation_id"), action, admin: teammate(p)))
            })
    }

    /// The message `body=` gives, which must hold more than blanks; nil when none is given and none is `required`.
    static func message(_ p: CheckedParameters, required: Bool) throws(ResultRecord.Failure) -> String? {
        guard let body = p.string("body") else {
            if required { throw .invalidInput("a body is required: the message to post") }
            return nil
        }
        guard body.contains(where: { !$0.isWhitespace }) else { throw .invalidInput("the body is blank; nothing was posted") }
        return body
    }

    /// The teammate `admin=` names; `me` when it names none.
    static func teammate(_ p: CheckedParameters) -> TeammateReference {
        p.string("admin").map(TeammateReference.init) ?? .me
    }

    /// `per_page=`, from 1 to 150.
    static func perPage(_ p: CheckedParameters, default value: Int) throws(ResultRecord.Failure) -> Int {
        let perPage = p.int("per_page") ?? value
        guard (1...150).contains(perPage) else { throw .invalidInput("per_page must be from 1 to 150, not \(perPage)") }
        return perPage
    }
}
