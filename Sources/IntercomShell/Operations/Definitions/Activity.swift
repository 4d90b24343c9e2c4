import IntercomKit

extension OperationName {
    /// python-intercom's `create_note`: a note on a user.
    public static let createNote = OperationName(rawValue: "create_note")
    /// python-intercom's `create_impression` (v1 only).
    public static let createImpression = OperationName(rawValue: "create_impression")
    /// python-intercom's `create_event`.
    public static let createEvent = OperationName(rawValue: "create_event")
    /// A contact's events (REST API 2.x only).
    public static let listEvents = OperationName(rawValue: "list_events")
    /// A contact's notes (REST API 2.x only).
    public static let listNotes = OperationName(rawValue: "list_notes")
}

/// Notes, impressions and events.
enum ActivityDefinitions {
    static let all: [OperationDefinition] = [createNote, listNotes, createImpression, createEvent, listEvents]

    static let listNotes = OperationDefinition(
        name: .listNotes, parameters: CommonParameters.ident + [ParameterSpec("page", .integer), ParameterSpec("per_page", .integer)],
        effect: .read,
        commands: [
            CommandSpec(
                words: ["notes"], operation: .listNotes, positionals: .identifier(then: []), usage: "notes <ident> [page=N] [per_page=N]",
                summary: "List a contact's notes, newest first (REST API 2.x only).", example: "notes somebody@example.com", group: "Activity")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in
            let page = p.int("page") ?? 1
            let perPage = p.int("per_page") ?? 50
            guard page >= 1 else { throw .invalidInput("page must be 1 or more, not \(page)") }
            guard (1...150).contains(perPage) else { throw .invalidInput("per_page must be from 1 to 150, not \(perPage)") }
            return .contact(.read(try p.user(), .notes(page: page, perPage: perPage)))
        })

    static let createNote = OperationDefinition(
        name: .createNote, parameters: CommonParameters.ident + [ParameterSpec("body", .string)], effect: .write,
        commands: [
            CommandSpec(
                words: ["note"], operation: .createNote, positionals: .identifier(then: ["body"]),
                usage: "note <ident> \"<body>\"", summary: "Write a note on a user.",
                example: "note somebody@example.com \"Called about the invoice\"", group: "Activity")
        ],
        v1: { p, _ in .single(try .createNote(for: p.identifier, body: p.required("body"))) },
        rest: { _, p, _ throws(ResultRecord.Failure) in .contact(.note(try p.user(), try p.text("body"))) })

    static let createImpression = OperationDefinition(
        name: .createImpression,
        parameters: CommonParameters.ident + [ParameterSpec("user_ip", .string), ParameterSpec("user_agent", .string), ParameterSpec("location", .string)],
        effect: .write,
        commands: [
            CommandSpec(
                words: ["impression"], operation: .createImpression, positionals: .identifier(then: []),
                usage: "impression <ident> [user_ip=…] [user_agent=…] [location=…]", summary: "Record that a user used the app.",
                example: "impression 123 user_ip=2.3.4.5 user_agent=MyApp/1.0 location=/pricing", group: "Activity")
        ],
        v1: { p, _ in
            .single(try .createImpression(for: p.identifier, userIP: p.string("user_ip"), userAgent: p.string("user_agent"), location: p.string("location")))
        },
        rest: { _, _, _ throws(ResultRecord.Failure) in
            throw ResultRecord.Failure(
                type: .unsupported,
                message: "create_impression has no counterpart on the REST API (2.x): the Messenger records visits; nothing was sent")
        })

    static let createEvent = OperationDefinition(
        name: .createEvent,
        parameters: [ParameterSpec("event_name", .string)] + CommonParameters.ident + [ParameterSpec("metadata", .metadata), ParameterSpec("created", .timestamp)],
        effect: .idempotentWrite,
        commands: [
            CommandSpec(
                words: ["event"], operation: .createEvent, positionals: .eventNameThenIdentifier,
                usage: "event <name> <ident> | user_id=… | email=… [metadata.<key>=<value>…] [created=<unix time>]",
                summary: "Record an event (created defaults to now).",
                example: "event sent-invite user_id=314159 metadata.invite_code=ADDAFRIEND", group: "Activity")
        ],
        v1: { p, now in
            .single(try .createEvent(name: p.required("event_name"), user: p.identifier, created: p.int64("created") ?? now(), metadata: p.object("metadata")))
        },
        rest: { _, p, now throws(ResultRecord.Failure) in
            let user = try p.user()
            let eventName = try p.text("event_name")
            do {
                let request = try IntercomRequest.createRestEvent(name: eventName, user: user, created: p.int64("created") ?? now(), metadata: p.object("metadata"))
                return .contact(.single(request, .idempotentWrite))
            } catch {
                throw .invalidInput("\(error)")
            }
        })

    static let listEvents = OperationDefinition(
        name: .listEvents, parameters: CommonParameters.ident, effect: .read,
        commands: [
            CommandSpec(
                words: ["events"], operation: .listEvents, positionals: .identifier(then: []),
                usage: "events <ident>", summary: "List a contact's events (REST API 2.x only; the live API keeps 90 days).",
                example: "events somebody@example.com", group: "Activity")
        ],
        v1: nil,
        rest: { _, p, _ throws(ResultRecord.Failure) in .contact(.single(.listEvents(of: try p.user()), .read)) })
}
