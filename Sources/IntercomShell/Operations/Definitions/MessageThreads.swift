import IntercomKit

extension OperationName {
    /// python-intercom's `get_message_threads`: a user's threads, or one.
    public static let getMessageThreads = OperationName(rawValue: "get_message_threads")
    /// python-intercom's `create_message_thread`.
    public static let createMessageThread = OperationName(rawValue: "create_message_thread")
    /// python-intercom's `reply_message_thread`.
    public static let replyMessageThread = OperationName(rawValue: "reply_message_thread")
}

/// v1's message threads (conversations on the REST API 2.x).
enum MessageThreadDefinitions {
    static let all: [OperationDefinition] = [getMessageThreads, createMessageThread, replyMessageThread]

    static let getMessageThreads = OperationDefinition(
        name: .getMessageThreads, parameters: CommonParameters.ident + [ParameterSpec("thread_id", .identifier)], effect: .read,
        commands: [
            CommandSpec(
                words: ["threads"], operation: .getMessageThreads, positionals: .identifier(then: []),
                usage: "threads <ident>", summary: "List a user's message threads.",
                example: "threads somebody@example.com", group: "Messages"),
            CommandSpec(
                words: ["thread"], operation: .getMessageThreads, positionals: .identifier(then: ["thread_id"]),
                usage: "thread <ident> <thread_id>", summary: "Show one message thread.",
                example: "thread somebody@example.com 5591", group: "Messages", required: ["thread_id"]),
        ],
        v1: { p, _ in .single(try .getMessageThreads(for: p.identifier, threadID: p.v1ThreadID())) },
        rest: { _, p, _ throws(ResultRecord.Failure) in
            if let thread = p.string("thread_id") { return .conversation(.show(thread)) }
            return .conversation(.list(try p.user()))
        })

    static let createMessageThread = OperationDefinition(
        name: .createMessageThread, parameters: CommonParameters.ident + [ParameterSpec("body", .string)], effect: .write,
        commands: [
            CommandSpec(
                words: ["message"], operation: .createMessageThread, positionals: .identifier(then: ["body"]),
                usage: "message <ident> \"<body>\"", summary: "Start a message thread from a user.",
                example: "message somebody@example.com \"Hey Intercom, What is up?\"", group: "Messages")
        ],
        v1: { p, _ in .single(try .createMessageThread(for: p.identifier, body: p.required("body"))) },
        rest: { _, p, _ throws(ResultRecord.Failure) in .conversation(.start(try p.user(), try p.text("body"))) })

    static let replyMessageThread = OperationDefinition(
        name: .replyMessageThread,
        parameters: CommonParameters.ident + [ParameterSpec("thread_id", .identifier), ParameterSpec("body", .string), ParameterSpec("read", .boolean)],
        effect: .write,
        commands: [
            CommandSpec(
                words: ["reply"], operation: .replyMessageThread, positionals: .identifier(then: ["thread_id", "body"]),
                usage: "reply <ident> <thread_id> [\"<body>\"] [read=true|false]", summary: "Reply to a thread and/or mark it read.",
                example: "reply somebody@example.com 5591 \"Not much\" read=true", group: "Messages")
        ],
        v1: { p, _ in
            guard let threadID = try p.v1ThreadID() else { throw InputError("reply_message_thread needs thread_id") }
            return .single(try .replyMessageThread(for: p.identifier, threadID: threadID, body: p.string("body"), read: p.bool("read")))
        },
        rest: { _, p, _ throws(ResultRecord.Failure) in
            let user = try p.user()
            guard let thread = p.string("thread_id") else { throw .invalidInput("reply_message_thread needs thread_id") }
            guard p.string("body") != nil || p.bool("read") != nil else { throw .invalidInput("reply_message_thread needs a body, read, or both") }
            return .conversation(.reply(user, conversationID: thread, body: p.string("body"), read: p.bool("read")))
        })
}
