import IntercomKit
import IntercomShell
import Testing

@Suite("NDJSON operations")
struct NDJSONDecodingTests {
    @Test("op, parameters and ref")
    func decodes() throws {
        let decoder = NDJSONOperationDecoder()
        let operation = try decoder.decode(#"{"op":"create_user","email":"ben@intercom.io","name":"Ben","custom_data":{"plan":"pro"},"ref":"row-17"}"#)
        #expect(operation.name == .createUser)
        #expect(operation.parameters == ["email": "ben@intercom.io", "name": "Ben", "custom_data": ["plan": "pro"]])
        #expect(operation.ref == "row-17")
        let withObjectRef = try decoder.decode(#"{"op":"get_tag","name":"T","ref":{"row":[1,2]}}"#)
        #expect(withObjectRef.ref == ["row": [1, 2]])
    }

    @Test("--op sets the operation of lines without op")
    func defaultOperation() throws {
        let operation = try NDJSONOperationDecoder(defaultOperation: .createUser).decode(#"{"email":"a@example.com"}"#)
        #expect(operation.name == .createUser)
        #expect(try NDJSONOperationDecoder(defaultOperation: .createUser).decode(#"{"op":"get_tag","name":"x"}"#).name == .getTag)
    }

    static let errors: [(String, String)] = [
        (#"{"op":"create_user","emial":"a@b.io"}"#, "unknown key 'emial' for create_user"),
        (#"{"op":"crate_user"}"#, "unknown op 'crate_user'; did you mean create_user?"),
        (#"{"op":7}"#, "\"op\" must be a string"),
        (#"{"email":"a@b.io"}"#, "no \"op\""),
        (#"{"op":"get_user","email":"#, "invalid JSON"),
        (#"[1,2]"#, "expected a JSON object, got an array"),
        (#"{"op":"get_user"} trailing"#, "invalid JSON"),
    ]

    @Test("malformed lines are refused with a message naming the problem", arguments: errors.indices)
    func malformed(index: Int) {
        let (line, expected) = Self.errors[index]
        #expect(throws: InputError.self) { try NDJSONOperationDecoder().decode(line) }
        do {
            _ = try NDJSONOperationDecoder().decode(line)
        } catch {
            #expect(error.message.contains(expected), "\(line) → \(error.message)")
        }
    }

    static let typeErrors: [(String, String)] = [
        (#"{"op":"create_user","user_id":"1","name":5}"#, "name must be a string, not a number"),
        (#"{"op":"create_user","user_id":{"a":1}}"#, "user_id must be a string or a number"),
        (#"{"op":"create_user","user_id":"1","created_at":"yesterday"}"#, "created_at must be a Unix time"),
        (#"{"op":"create_user","user_id":"1","custom_data":{"plan":{"deep":1}}}"#, "custom_data.plan"),
        (#"{"op":"create_user","user_id":"1","custom_data":[1]}"#, "custom_data must be an object"),
        (#"{"op":"create_user","user_id":"1","unsubscribed_from_emails":"yes"}"#, "unsubscribed_from_emails must be true or false"),
        (#"{"op":"get_users","page":"2"}"#, "page must be a whole number"),
        (#"{"op":"create_tag","name":"T","tag_or_untag":"maybe"}"#, "tag_or_untag must be \"tag\" or \"untag\""),
        (#"{"op":"create_tag","name":"T","user_ids":[true]}"#, "user_ids must hold only strings and numbers"),
        (#"{"op":"create_note","user_id":"1"}"#, "body is required"),
        (#"{"op":"create_note","body":"x"}"#, "either user_id or email"),
        (#"{"op":"create_event","event_name":"e","user_id":"1","metadata":{"a":[1]}}"#, "metadata.a"),
        (#"{"op":"reply_message_thread","user_id":"1","body":"x"}"#, "thread_id"),
    ]

    @Test("parameters of the wrong type are refused before any request", arguments: typeErrors.indices)
    func wrongTypes(index: Int) throws {
        let (line, expected) = Self.typeErrors[index]
        let operation = try NDJSONOperationDecoder().decode(line)
        do {
            _ = try operation.request(now: { 0 })
            Issue.record("\(line) built a request")
        } catch {
            #expect(error.message.contains(expected), "\(line) → \(error.message)")
        }
    }

    @Test("numbers as user_ids and decimal timestamps are normalised; null is absent")
    func normalisation() throws {
        let operation = try NDJSONOperationDecoder().decode(#"{"op":"create_user","user_id":314159,"created_at":1331764344.7,"name":null}"#)
        let request = try operation.request(now: { 0 })
        #expect(request.body == ["user_id": "314159", "created_at": 1_331_764_344])
    }

    @Test("the same operation in both syntaxes builds the same request")
    func bothSyntaxes() throws {
        let pairs: [(String, String)] = [
            ("find user email=somebody@example.com", #"{"op":"get_user","email":"somebody@example.com"}"#),
            ("tag \"Free Trial\" abc123 def456", #"{"op":"create_tag","name":"Free Trial","tag_or_untag":"tag","user_ids":["abc123","def456"]}"#),
            ("event sent-invite user_id=314159", #"{"op":"create_event","event_name":"sent-invite","user_id":"314159"}"#),
            ("create user 1 custom_data.plan=pro", #"{"op":"create_user","user_id":"1","custom_data":{"plan":"pro"}}"#),
        ]
        let interpreter = LineInterpreter()
        for (command, ndjson) in pairs {
            guard case .success(.operation(let a)) = interpreter.interpret(command), case .success(.operation(let b)) = interpreter.interpret(ndjson) else {
                Issue.record("\(command) / \(ndjson)")
                continue
            }
            #expect(try a.request(now: { 42 }) == b.request(now: { 42 }))
        }
    }
}

@Suite("A record's kept result text")
struct KeptResultTextTests {
    @Test("the kept text is written as the result, is dropped when the outcome changes, and takes no part in equality")
    func keptText() {
        let value: JSONValue = ["id": "1", "name": "Ann"]
        let text = Array(#"{"id":"1","name":"Ann"}"#.utf8)
        var record = ResultRecord(line: 3, op: "all_users", outcome: .success(value), resultText: text)
        #expect(record.ndjson == #"{"line":3,"op":"all_users","ok":true,"result":{"id":"1","name":"Ann"}}"#)
        #expect(record == ResultRecord(line: 3, op: "all_users", outcome: .success(value)))
        #expect(record.resultText == text)
        record.outcome = .success(["id": "1"])
        #expect(record.resultText == nil)
        #expect(record.ndjson == #"{"line":3,"op":"all_users","ok":true,"result":{"id":"1"}}"#)
        let failed = ResultRecord(line: 1, op: "x", outcome: .failure(.init(type: .invalidInput, message: "m")), resultText: text)
        #expect(failed.resultText == nil, "a failure has no result text")
    }
}
