import IntercomKit
import IntercomShell
import Testing

/// Table-driven tests of the command language: every command and every value-typing rule.
@Suite("Command language")
struct CommandParserTests {
    static func operation(_ line: String) throws -> Operation {
        guard case .success(.operation(let operation)) = CommandParser.parse(line) else {
            Issue.record("'\(line)' did not parse to an operation: \(CommandParser.parse(line))")
            throw InputError("no operation")
        }
        return operation
    }

    static let commands: [(String, OperationName, JSONObject)] = [
        ("find user email=somebody@example.com", .getUser, ["email": "somebody@example.com"]),
        ("find user somebody@example.com", .getUser, ["email": "somebody@example.com"]),
        ("find user 123", .getUser, ["user_id": "123"]),
        ("find user user_id=123", .getUser, ["user_id": "123"]),
        ("FIND USER abc", .getUser, ["user_id": "abc"]),
        ("get user abc", .getUser, ["user_id": "abc"]),
        ("users", .getUsers, [:]),
        ("users page=2 per_page=50 tag_name=\"Free Trial\"", .getUsers, ["page": 2, "per_page": 50, "tag_name": "Free Trial"]),
        ("users tag_id=52322b4150233908a800013c", .getUsers, ["tag_id": "52322b4150233908a800013c"]),
        ("users all tag_name='Free Trial'", .allUsers, ["tag_name": "Free Trial"]),
        (
            "create user email=ben@intercom.io name=\"Ben McRedmond\" custom_data.plan=pro custom_data.seats=3 custom_data.trial=true",
            .createUser, ["email": "ben@intercom.io", "name": "Ben McRedmond", "custom_data": ["plan": "pro", "seats": 3, "trial": true]]
        ),
        ("create user 7902 created_at=1257553080 last_request_at=1300000000", .createUser, ["user_id": "7902", "created_at": 1_257_553_080, "last_request_at": 1_300_000_000]),
        ("create user user_id=1 custom_data={\"a\": 1, \"b\": \"x y\"} custom_data.c=2.5", .createUser, ["user_id": "1", "custom_data": ["a": 1, "b": "x y", "c": 2.5]]),
        ("create user user_id=1 companies=[{\"id\":6,\"name\":\"Intercom\"}] unsubscribed_from_emails=false", .createUser, ["user_id": "1", "companies": [["id": 6, "name": "Intercom"]], "unsubscribed_from_emails": false]),
        ("update user 123 name=Guido", .updateUser, ["user_id": "123", "name": "Guido"]),
        ("update user a@b.io name=007", .updateUser, ["email": "a@b.io", "name": "007"]),
        ("delete user somebody@example.com", .deleteUser, ["email": "somebody@example.com"]),
        ("note somebody@example.com \"This is a note\"", .createNote, ["email": "somebody@example.com", "body": "This is a note"]),
        ("note 123 body='It\\'s \"quoted\"'", .createNote, ["user_id": "123", "body": "It's \"quoted\""]),
        ("impression 123 user_ip=2.3.4.5 user_agent=MyApp/1.0 location=/pricing", .createImpression, ["user_id": "123", "user_ip": "2.3.4.5", "user_agent": "MyApp/1.0", "location": "/pricing"]),
        ("threads somebody@example.com", .getMessageThreads, ["email": "somebody@example.com"]),
        ("thread somebody@example.com 5591", .getMessageThreads, ["email": "somebody@example.com", "thread_id": "5591"]),
        ("message 123 \"Hey Intercom, What is up?\"", .createMessageThread, ["user_id": "123", "body": "Hey Intercom, What is up?"]),
        ("reply 123 5591 \"Not much\" read=true", .replyMessageThread, ["user_id": "123", "thread_id": "5591", "body": "Not much", "read": true]),
        ("reply 123 5591 read=false", .replyMessageThread, ["user_id": "123", "thread_id": "5591", "read": false]),
        ("find tag \"Free Trial\"", .getTag, ["name": "Free Trial"]),
        ("tag \"Free Trial\" abc123 def456", .createTag, ["name": "Free Trial", "tag_or_untag": "tag", "user_ids": ["abc123", "def456"]]),
        ("tag \"Free Trial\" abc123 ana@example.com", .createTag, ["name": "Free Trial", "tag_or_untag": "tag", "user_ids": ["abc123"], "emails": ["ana@example.com"]]),
        ("untag \"Free Trial\" abc123", .updateTag, ["name": "Free Trial", "tag_or_untag": "untag", "user_ids": ["abc123"]]),
        ("event sent-invite user_id=314159", .createEvent, ["event_name": "sent-invite", "user_id": "314159"]),
        ("event sent-invite 314159 metadata.invite_code=ADDAFRIEND metadata.count=2", .createEvent, ["event_name": "sent-invite", "user_id": "314159", "metadata": ["invite_code": "ADDAFRIEND", "count": 2]]),
        ("event paid email=a@b.io metadata.price={\"amount\":2999,\"currency\":\"usd\"} created=1000", .createEvent, ["event_name": "paid", "email": "a@b.io", "metadata": ["price": ["amount": 2999, "currency": "usd"]], "created": 1_000]),
        ("get_user user_id=123", .getUser, ["user_id": "123"]),
        ("create_tag name=T tag_or_untag=tag user_ids=[\"a\"]", .createTag, ["name": "T", "tag_or_untag": "tag", "user_ids": ["a"]]),
        ("reply_message_thread 123 thread_id=5 body=hi", .replyMessageThread, ["user_id": "123", "thread_id": "5", "body": "hi"]),
        ("find user 123   # a comment", .getUser, ["user_id": "123"]),
    ]

    @Test("each command parses to its operation", arguments: commands.indices)
    func command(index: Int) throws {
        let (line, name, parameters) = Self.commands[index]
        let operation = try Self.operation(line)
        #expect(operation.name == name, "\(line)")
        #expect(operation.parameters == parameters, "\(line)")
    }

    static let values: [(String, JSONValue)] = [
        ("42", 42), ("-7", -7), ("2.5", 2.5), ("1e3", 1000.0), ("true", true), ("false", false), ("null", nil),
        ("007", "007"), ("+1", "+1"), ("1.", "1."), ("0x10", "0x10"), ("\"42\"", "42"), ("'true'", "true"),
        ("{\"a\":[1,2]}", ["a": [1, 2]]), ("[1,\"x\"]", [1, "x"]), ("hello", "hello"), ("a\\ b", "a b"),
        ("\"line\\nbreak\"", "line\nbreak"), ("\"\\u00e9t\\u00e9\"", "été"), ("été", "été"), ("99999999999999999999", .bigInteger("99999999999999999999")),
        ("-9223372036854775809", .bigInteger("-9223372036854775809")), ("9223372036854775807", .integer(.max)), ("1e20", 1e20),
    ]

    @Test("values are typed like jo", arguments: values.indices)
    func valueTyping(index: Int) throws {
        let (word, expected) = Self.values[index]
        let operation = try Self.operation("create user user_id=1 custom_data.v=\(word)")
        #expect(operation.parameters["custom_data"]?["v"] == expected, "\(word)")
    }

    static let errors: [(String, String)] = [
        ("note 123 \"unterminated", "10: unterminated quote"),
        ("find usr x", "1: unknown command 'find usr'; did you mean find user?"),
        ("fnd user x", "1: unknown command 'fnd'; did you mean find?"),
        ("create user nmae=Ben", "13: create_user has no parameter 'nmae'; did you mean name?"),
        ("find user 123 extra", "15: unexpected argument 'extra'"),
        ("create user user_id=1 custom_data={bad", "35: unterminated JSON value"),
        ("create user user_id=1 custom_data={bad}", "23: invalid JSON value"),
        ("create user user_id=1 name=x name.first=y", "30: name is already a string"),
        ("create user .x=1", "13: '.x' is not a valid key"),
        ("help nothing", "6: no command 'nothing'"),
        ("set output table", "1: set works at the interactive prompt only; here, give --output, --time or --no-pager on the command line"),
        ("note 123 \"\\uD800\"", "\\uD800 is half of a UTF-16 surrogate pair, not a character"),
        ("record off", "1: record works at the interactive prompt only; here, give --record FILE on the command line"),
    ]

    @Test("syntax errors report the column and what is wrong", arguments: errors.indices)
    func syntaxError(index: Int) {
        let (line, expected) = Self.errors[index]
        guard case .failure(let error) = CommandParser.parse(line) else {
            Issue.record("'\(line)' parsed")
            return
        }
        #expect(error.description.contains(expected), "\(line) → \(error)")
    }

    @Test("blank and comment lines are empty; help gives text")
    func emptyAndHelp() {
        #expect(CommandParser.parse("") == .success(.empty))
        #expect(CommandParser.parse("   # just a comment") == .success(.empty))
        guard case .success(.help(let overview)) = CommandParser.parse("help") else { Issue.record("help"); return }
        for group in ["Users:", "Activity:", "Messages:", "Tags:"] { #expect(overview.contains(group)) }
        guard case .success(.help(let tagHelp)) = CommandParser.parse("help tag") else { Issue.record("help tag"); return }
        #expect(tagHelp.contains("runs: create_tag"))
        #expect(tagHelp.contains("example: tag \"Free Trial\""))
        #expect(tagHelp.contains("see also:") && tagHelp.contains("untag conversation") && tagHelp.contains("delete tag"), "\(tagHelp)")
    }

    @Test("help <resource> lists a resource's commands, by its group's name, singular or plural, or a word of its commands")
    func familyHelp() {
        for (topic, group, member) in [
            ("company", "Companies:", "attach company"), ("companies", "Companies:", "company users"),
            ("conversations", "Conversations:", "untag conversation"), ("Conversations", "Conversations:", "snooze conversation"),
            ("CONVERSATION", "usage: conversation <id>", "assign conversation"), ("tags", "Tags:", "delete tag"),
            ("attribute", "Attributes:", "create attribute"), ("segment", "usage: segment <id>", "user segments"),
        ] {
            guard case .success(.help(let text)) = CommandParser.parse("help \(topic)") else { Issue.record("help \(topic)"); continue }
            #expect(text.contains(group) && text.contains(member), "help \(topic): \(text)")
        }
        guard case .success(.help(let companies)) = CommandParser.parse("help company") else { Issue.record("help company"); return }
        #expect(!companies.contains("find user") && !companies.contains("reply conversation"), "only the family: \(companies)")
    }

    @Test("a trailing backslash continues the line; an open quote is reported as incomplete")
    func continuation() {
        #expect(LineInterpreter.continues("create user user_id=1 \\"))
        #expect(!LineInterpreter.continues("create user user_id=1 \\\\"))
        #expect(!LineInterpreter.continues("{\"op\":\"get_tag\",\"name\":\"a\\\\\"}"))
        if case .incomplete = CommandTokenizer.split("note 1 \"open") {} else { Issue.record("open quote should be incomplete") }
    }

    @Test("every operation can be reached from the command language")
    func everyOperationReachable() throws {
        for name in OperationName.allCases where name != .api {
            #expect(try Self.operation(name.rawValue).name == name)
        }
        // api needs a method and a path.
        #expect(try Self.operation("api GET /me").name == .api)
    }
}

extension CommandParserTests {
    @Test("an identifier given by key leaves positionals to the command's own arguments, unless there are more")
    func identifierByKey() throws {
        #expect(try Self.operation("note email=a@b.io \"body text\"").parameters == ["email": "a@b.io", "body": "body text"])
        #expect(try Self.operation("create user 7902 email=ben@intercom.io").parameters == ["user_id": "7902", "email": "ben@intercom.io"])
        #expect(try Self.operation("reply email=a@b.io 5591 hi").parameters == ["email": "a@b.io", "thread_id": "5591", "body": "hi"])
    }
}
