import IntercomKit
import IntercomShell
import Testing

/// `api`: the command language, the checks against Intercom's description, effects, and the page walk in every style.
@Suite("api: any request of the REST API")
struct APICommandTests {
    static func parameters(_ line: String) throws -> JSONObject {
        guard case .success(.operation(let operation)) = CommandParser.parse(line) else {
            Issue.record("'\(line)' did not parse: \(CommandParser.parse(line))")
            throw InputError("no operation")
        }
        #expect(operation.name == .api)
        return operation.parameters
    }

    static func call(_ line: String) throws -> APICall {
        guard case .success(.operation(let operation)) = CommandParser.parse(line) else { throw InputError("no operation") }
        guard case .api(let call) = try operation.restGoal(now: { 0 }) else { throw InputError("not an api goal") }
        return call
    }

    static func refusal(_ line: String) -> String? {
        guard case .success(.operation(let operation)) = CommandParser.parse(line) else { return "did not parse" }
        do {
            _ = try operation.restGoal(now: { 0 })
            return nil
        } catch {
            return error.type == .invalidInput ? error.message : "\(error.type): \(error.message)"
        }
    }

    @Test("key=value builds the body of a POST/PUT and the query of a GET/DELETE; body=, query=, body.k, query.k and all")
    func commandLanguage() throws {
        #expect(try Self.parameters("api GET /contacts per_page=5") == ["method": "GET", "path": "/contacts", "query": ["per_page": "5"]])
        #expect(try Self.parameters("api GET /contacts/{contact_id} contact_id=1.50")["query"] == ["contact_id": "1.50"], "path and query values stay as typed")
        #expect(
            try Self.parameters(#"api post /companies company_id=6 name="Blue Sun" plan=pro size=30"#)
                == ["method": "POST", "path": "/companies", "body": ["company_id": "6", "name": "Blue Sun", "plan": "pro", "size": 30]])
        #expect(
            try Self.parameters("api PUT /contacts/abc custom_attributes.seats=5 query.x=1")
                == ["method": "PUT", "path": "/contacts/abc", "body": ["custom_attributes": ["seats": 5]], "query": ["x": "1"]])
        #expect(
            try Self.parameters(#"api POST /contacts/search body={"query":{"field":"email","operator":"=","value":"a@b.io"}} all"#)
                == ["method": "POST", "path": "/contacts/search", "all": true, "body": ["query": ["field": "email", "operator": "=", "value": "a@b.io"]]])
        #expect(try Self.parameters(#"api GET /events query={"type":"user"} body.x=1"#) == ["method": "GET", "path": "/events", "query": ["type": "user"], "body": ["x": 1]])
        let deep = "api POST /companies " + Array(repeating: "a", count: 40).joined(separator: ".") + "=1"
        guard case .failure(let tooDeep) = CommandParser.parse(deep) else { Issue.record("a 40-level key parsed"); return }
        #expect(tooDeep.message.contains("nests 40 levels"))
        guard case .failure(let error) = CommandParser.parse("api GET") else { Issue.record("api GET parsed"); return }
        #expect(error.message.contains("a method and a path"))
        guard case .failure(let extra) = CommandParser.parse("api GET /contacts everything") else { Issue.record("a stray word parsed"); return }
        #expect(extra.message.contains("unexpected argument 'everything'"))
        guard case .failure(let twice) = CommandParser.parse(#"api POST /tags name=a body={"name":"b"}"#) else { Issue.record("a key given twice parsed"); return }
        #expect(twice.message.contains("given twice"))
    }

    @Test("paths are checked against the description: nearest paths, the methods a path has, missing path parameters")
    func checkedPaths() throws {
        let unknown = try #require(Self.refusal("api GET /contact/1"))
        #expect(unknown.contains("/contact/1 is not a path of the REST API 2.16") && unknown.contains("/contacts/{contact_id}"), "\(unknown)")
        let method = try #require(Self.refusal("api POST /contacts/abc"))
        #expect(method == "/contacts/{contact_id} has no POST; it takes GET, PUT, DELETE", "\(method)")
        let missing = try #require(Self.refusal("api GET /contacts/{contact_id}"))
        #expect(missing.contains("path parameter contact_id is missing"), "\(missing)")
        #expect(Self.refusal("api GET /contacts body.x=1")?.contains("a GET takes no body") == true)
        #expect(Self.refusal("api POST /tags name=x all")?.contains("all walks the pages of a read") == true)
        #expect(Self.refusal("api FETCH /contacts")?.contains("GET, POST, PUT, PATCH, DELETE") == true)
        let filled = try Self.call("api DELETE /tags/{tag_id} tag_id=17")
        #expect(filled.request.method == .delete && filled.request.path == "tags/17" && filled.request.query.isEmpty)
        let encoded = try Self.call("api GET /contacts/find_by_external_id/a%2Fb?x=1")
        #expect(encoded.request.path == "contacts/find_by_external_id/a%2Fb" && encoded.request.encodedQuery == "x=1", "\(encoded.request.path)")
        #expect(Self.refusal("api GET /contacts/search/") == "/contacts/search has no GET; it takes POST")
        #expect(Self.refusal("api GET /contacts/..")?.contains("cannot be sent") == true)
    }

    @Test("a reference in a path is one segment, whatever it holds; query values a query cannot carry are refused")
    func pathReferencesAndQueries() throws {
        var context = ReferenceContext(variables: ["id": "abc/tags/52?per_page=1&x=100%"])
        context.remember(["id": "c1", "data": [1, 2]], as: "ann")
        guard case .success(.operation(let operation)) = CommandParser.parse("api DELETE /contacts/${id}", context: context),
            case .api(let call) = try operation.restGoal(now: { 0 })
        else { Issue.record("did not parse"); return }
        #expect(call.request.path == "contacts/abc%2Ftags%2F52%3Fper_page%3D1%26x%3D100%25" && call.request.query.isEmpty, "\(call.request.path)")
        #expect(call.documented.path == "/contacts/{contact_id}")
        guard case .failure(let object) = CommandParser.parse("api GET /contacts/${ann.data}", context: context) else { Issue.record("an array in a path"); return }
        #expect(object.message.contains("must be text or a number"), "\(object.message)")
        let ndjson = try NDJSONOperationDecoder().decode(#"{"op":"api","method":"GET","path":"/contacts/${id}"}"#, context: context)
        #expect(ndjson.parameters["path"] == "/contacts/abc%2Ftags%2F52%3Fper_page%3D1%26x%3D100%25")
        for spaces in [" ", "\t", " \n "] {
            guard case .failure(let blanks) = CommandParser.parse("api GET /contacts/${x}", context: ReferenceContext(variables: ["x": spaces])) else {
                Issue.record("a blank reference was taken"); continue
            }
            #expect(blanks.message.contains("${x} is only blanks"), "\(blanks.message)")
        }
        let blank = ReferenceContext(variables: ["x": ""])
        for line in ["api GET /contacts/${x}", "api POST /contacts/${x} email=a@example.com", "api GET /contacts/${x}/tags"] {
            guard case .failure(let empty) = CommandParser.parse(line, context: blank) else { Issue.record("\(line) was taken"); continue }
            #expect(empty.message.contains("${x} is empty"), "\(empty.message)")
        }
        #expect(throws: InputError.self) {
            try NDJSONOperationDecoder().decode(#"{"op":"api","method":"POST","path":"/contacts/${x}"}"#, context: blank)
        }

        func refusal(_ query: JSONValue) -> String? {
            let operation = Operation(name: .api, parameters: ["method": "GET", "path": "/contacts", "query": query])
            do { _ = try operation.restGoal(now: { 0 }); return nil } catch { return error.message }
        }
        #expect(refusal(["d": [1, [2, 3]]])?.contains("holds an array in its array") == true)
        #expect(refusal(["a": ["b": ["c": 1]]])?.contains("nests an object in an object") == true)
        #expect(refusal(["": "x"])?.contains("needs a name") == true)
        #expect(refusal(["f": nil, "n": 1e3]) == nil)
        let items = try APICall(method: "GET", path: "/contacts", query: ["f": nil, "n": 1e3, "t": true], body: nil, all: false, description: .current)
        #expect(items.request.encodedQuery == "n=1000&t=true" || items.request.encodedQuery == "n=1000.0&t=true", "\(items.request.encodedQuery)")
        #expect(refusal(["contact_id": ["a": 1]]) == nil, "a query member named like no path parameter stays in the query")
        let objectID = Operation(name: .api, parameters: ["method": "GET", "path": "/contacts/{contact_id}", "query": ["contact_id": ["a": 1]]])
        #expect(throws: ResultRecord.Failure.self) { try objectID.restGoal(now: { 0 }) }
        do { _ = try objectID.restGoal(now: { 0 }) } catch { #expect(error.message.contains("must be text or a number, not an object")) }
        #expect(Self.refusal("api GET /" + String(repeating: "a/", count: 1_500))?.contains("longer than any the API has") == true)
        #expect(Self.refusal("api GET ${x.url}")?.contains("only a real run knows") == true)
    }

    @Test("retries follow the method: GET, PUT, DELETE and a documented search are safe to repeat; POST and PATCH are not")
    func effects() throws {
        #expect(try Self.call("api GET /me").effect == .read)
        #expect(try Self.call("api PUT /contacts/a name=x").effect == .idempotentWrite)
        #expect(try Self.call("api DELETE /contacts/a").effect == .idempotentWrite)
        #expect(try Self.call("api POST /contacts email=a@b.io").effect == .write)
        #expect(try Self.call(#"api POST /contacts/search body={"query":{"field":"email","operator":"=","value":"x"}}"#).effect == .read)
        #expect(try Self.call("api POST /companies/list").effect == .read)
        for line in ["api POST /contacts email=a@b.io", "api GET /me", "api DELETE /contacts/a"] {
            guard case .success(.operation(let operation)) = CommandParser.parse(line) else { continue }
            #expect(operation.effect == (try Self.call(line).effect), "\(line)")
        }
        #expect(Operation(name: .api, parameters: [:]).effect == .write)
        #expect(Operation(name: .api, parameters: ["method": "PATCH", "path": "/tickets/1"]).effect == .write)
    }

    @Test("a body that breaks the request schema is a warning, not a refusal; undocumented query parameters too")
    func warnings() throws {
        let call = try Self.call("api POST /contacts/search query.field=email")
        #expect(call.warnings.contains("body: lacks required query"), "\(call.warnings)")
        #expect(call.warnings.contains { $0.contains("query parameter field is not documented") })
        #expect(try Self.call("api GET /contacts per_page=5 starting_after=abc").warnings.isEmpty)
        #expect(try Self.call(#"api POST /companies company_id=6 name="Blue Sun""#).warnings.isEmpty)
        let ndjson = try NDJSONOperationDecoder().decode(#"{"op":"api","method":"POST","path":"/companies","body":{"company_id":6}}"#)
        guard case .api(let typed) = try ndjson.restGoal(now: { 0 }) else { Issue.record("not an api goal"); return }
        #expect(typed.warnings == ["body.company_id: a number, expected string"])
    }

    @Test("NDJSON api lines take method, path, body, query and all; anything else is refused by name")
    func ndjson() throws {
        let decoded = try NDJSONOperationDecoder().decode(#"{"op":"api","method":"get","path":"/contacts","query":{"per_page":2},"all":true}"#)
        #expect(decoded.name == .api && decoded.yieldsItems && decoded.effect == .read)
        #expect(throws: InputError.self) { try NDJSONOperationDecoder().decode(#"{"op":"api","method":"GET","path":"/me","headers":{}}"#) }
        let bad = Operation(name: .api, parameters: ["method": "GET", "path": "/me", "body": [1, 2]])
        #expect(throws: ResultRecord.Failure.self) { try bad.restGoal(now: { 0 }) }
    }

    @Test("lines are ordered by the contact or resource their path names; a walk of every page runs alone")
    func ordering() throws {
        func keys(_ line: String) throws -> Set<OrderingKey>? {
            guard case .success(.operation(let operation)) = CommandParser.parse(line) else { return [] }
            return operation.definition.ordering.extraKeys(operation)
        }
        #expect(try keys("api PUT /contacts/abc name=x") == [.contactID("abc")])
        #expect(try keys("api POST /contacts/abc/notes body.body=x") == [.contactID("abc")])
        #expect(try keys("api POST /contacts email=Ben@Example.com external_id=7") == [.email("ben@example.com"), .userID("7")])
        #expect(try keys("api GET /contacts/find_by_external_id/7") == [.userID("7")])
        #expect(try keys("api PUT /companies/6 name=x") == [.resource("companies/6")])
        #expect(try keys("api GET /contacts all") == nil)
    }

    @Test("help api explains it with examples; help api PATH lists a path's methods and parameters, or the nearest paths")
    func help() throws {
        guard case .success(.help(let overview)) = CommandParser.parse("help api") else { Issue.record("help api"); return }
        #expect(overview.contains("usage: api <METHOD> <path>") && overview.contains("examples:") && overview.contains("api GET /me"))
        guard case .success(.help(let companies)) = CommandParser.parse("help api /companies") else { Issue.record("help api /companies"); return }
        #expect(companies.contains("GET    Retrieve companies") && companies.contains("query: name, company_id"), "\(companies)")
        #expect(companies.contains("POST   Create or Update a company") && companies.contains("body: company_id"))
        guard case .success(.help(let tagPaths)) = CommandParser.parse("help api /tags") else { Issue.record("help api /tags"); return }
        #expect(tagPaths.hasPrefix("/tags\n") && tagPaths.contains("also: /tags/{tag_id}"), "\(tagPaths)")
        guard case .success(.help(let oneTag)) = CommandParser.parse("help api /tags/{tag_id}") else { Issue.record("help api /tags/{tag_id}"); return }
        #expect(oneTag.contains("path: tag_id") && oneTag.contains("DELETE"), "\(oneTag)")
        guard case .success(.help(let unknown)) = CommandParser.parse("help api /contact") else { Issue.record("help api /contact"); return }
        #expect(unknown.contains("/contacts"), "\(unknown)")
        guard case .failure(let nowhere) = CommandParser.parse("help api /zzz") else { Issue.record("help api /zzz"); return }
        #expect(nowhere.message.hasPrefix("no documented path /zzz"), "\(nowhere)")
        guard case .success(.help(let concrete)) = CommandParser.parse("help api /contacts/abc") else { Issue.record("help api /contacts/abc"); return }
        #expect(concrete.hasPrefix("/contacts/{contact_id}\n"), "\(concrete)")
        guard case .success(.help(let onlyGet)) = CommandParser.parse("help api GET /contacts/abc") else { Issue.record("help api GET …"); return }
        #expect(onlyGet.contains("GET") && !onlyGet.contains("DELETE"), "\(onlyGet)")
        guard case .failure(let noPost) = CommandParser.parse("help api POST /contacts/abc") else { Issue.record("help api POST …"); return }
        #expect(noPost.message.contains("has no POST; it takes DELETE, GET, PUT"), "\(noPost)")
    }

    static func page(_ json: String) throws -> JSONValue { try JSONValue(parsing: json) }

    @Test("an expired scroll starts again from its first page: items given before are left out, at most three times")
    func scrollRestarts() throws {
        let first = IntercomRequest(method: .get, path: "companies/scroll")
        let expired = ResultRecord.Failure(type: .api(.notFound), status: 404, message: "scroll_param has expired")
        var scroll = APIPageWalk(first: first)
        let firstPageFailed = scroll.failed(expired)
        #expect(!firstPageFailed, "the first page failing is not an expired scroll")
        #expect(try scroll.received(Self.page(#"{"data":[{"id":"a"},{"id":"b"}],"scroll_param":"p1"}"#)).items.count == 2)
        #expect(try scroll.received(Self.page(#"{"data":[{"id":"c"}],"scroll_param":"p2"}"#)).items.count == 1)
        let restarted = scroll.failed(expired)
        #expect(restarted && scroll.next == first && scroll.restarts == 1)
        // The new scroll goes over the pages given before (nothing new: not the end), then on.
        #expect(try scroll.received(Self.page(#"{"data":[{"id":"a"},{"id":"b"}],"scroll_param":"q1"}"#)).items.isEmpty)
        #expect(scroll.next?.encodedQuery == "scroll_param=q1")
        #expect(try scroll.received(Self.page(#"{"data":[{"id":"c"},{"id":"d"}],"scroll_param":"q2"}"#)).items == [["id": "d"]])
        #expect(try scroll.received(Self.page(#"{"data":[],"scroll_param":"q3"}"#)).items.isEmpty)
        #expect(scroll.next == nil && scroll.items == 4)

        var failing = APIPageWalk(first: first)
        _ = try failing.received(Self.page(#"{"data":[{"id":"a"}],"scroll_param":"p1"}"#))
        for _ in 1...APIPageWalk.maximumRestarts {
            let again = failing.failed(expired)
            #expect(again)
            _ = try failing.received(Self.page(#"{"data":[{"id":"a"}],"scroll_param":"p1"}"#))
        }
        let fourth = failing.failed(expired)
        #expect(!fourth, "a scroll that keeps expiring ends the walk")
        var unauthorized = APIPageWalk(first: first)
        _ = try unauthorized.received(Self.page(#"{"data":[{"id":"a"}],"scroll_param":"p1"}"#))
        let refused = unauthorized.failed(.init(type: .api(.authentication), status: 401, message: "Unauthorized"))
        #expect(!refused)
        var cursor = APIPageWalk(first: IntercomRequest(method: .get, path: "contacts"))
        _ = try cursor.received(Self.page(#"{"data":[{"id":"1"}],"pages":{"next":{"starting_after":"c2"}}}"#))
        let cursorRestarted = cursor.failed(expired)
        #expect(!cursorRestarted, "only scrolls start again")

        var stuck = APIPageWalk(first: first)
        _ = try stuck.received(Self.page(#"{"data":[{"id":"a"}],"scroll_param":"p1"}"#))
        let stuckRestarted = stuck.failed(expired)
        #expect(stuckRestarted)
        _ = try stuck.received(Self.page(#"{"data":[{"id":"a"}],"scroll_param":"q1"}"#))
        _ = try stuck.received(Self.page(#"{"data":[{"id":"a"}],"scroll_param":"q2"}"#))
        #expect(stuck.next != nil, "as many pages of nothing new as it gave before, and one more, may come")
        let repeated = try stuck.received(Self.page(#"{"data":[{"id":"a"}],"scroll_param":"q3"}"#))
        #expect(repeated.failure != nil, "a restarted scroll that repeats past the pages it gave before still ends")
    }

    @Test("pages that give only items given before end the walk, under any cursor, whatever their ids' type")
    func repeatedItems() throws {
        var search = APIPageWalk(first: IntercomRequest(method: .post, path: "conversations/search", body: ["query": ["field": "a"]]))
        _ = search.received(try Self.page(#"{"conversations":[{"id":"1"},{"id":"2"}],"pages":{"next":{"starting_after":"c1"}}}"#))
        let repeated = search.received(try Self.page(#"{"conversations":[{"id":"2"},{"id":"1"}],"pages":{"next":{"starting_after":"c2"}}}"#))
        #expect(repeated.failure?.type == .api(.invalidResponse) && search.next == nil)
        var numbered = APIPageWalk(first: IntercomRequest(method: .get, path: "companies/scroll"))
        _ = numbered.received(try Self.page(#"{"data":[{"id":1},{"id":2}],"scroll_param":"p"}"#))
        let again = numbered.received(try Self.page(#"{"data":[{"id":1},{"id":2}],"scroll_param":"p"}"#))
        #expect(again.items.isEmpty && again.failure != nil, "numeric ids count as ids")
        var partly = APIPageWalk(first: IntercomRequest(method: .get, path: "contacts"))
        _ = partly.received(try Self.page(#"{"data":[{"id":"1"}],"pages":{"next":{"starting_after":"c1"}}}"#))
        #expect(partly.received(try Self.page(#"{"data":[{"id":"1"},{"id":"2"}],"pages":{}}"#)).failure == nil, "one new item is progress")
        var walk = PageWalk()
        _ = walk.received(try Self.page(#"{"data":[{"id":"1"}],"pages":{"next":{"starting_after":"c1"}}}"#))
        #expect(walk.received(try Self.page(#"{"data":[{"id":"1"}],"pages":{"next":{"starting_after":"c2"}}}"#))?.type == .api(.invalidResponse))
    }

    @Test("a walk follows each paging style the API uses")
    func pageStyles() throws {
        var list = APIPageWalk(first: IntercomRequest(method: .get, path: "contacts", query: [("per_page", "2")]))
        #expect(try list.received(Self.page(#"{"data":[{"id":"1"},{"id":"2"}],"pages":{"next":{"starting_after":"c2"}},"total_count":3}"#)).items.count == 2)
        #expect(list.next?.encodedQuery == "per_page=2&starting_after=c2")
        #expect(try list.received(Self.page(#"{"data":[{"id":"3"}],"pages":{}}"#)).items.count == 1)
        #expect(list.next == nil && list.items == 3)

        var search = APIPageWalk(first: IntercomRequest(method: .post, path: "contacts/search", body: ["query": ["field": "a"], "pagination": ["per_page": 1]]))
        _ = search.received(try Self.page(#"{"data":[{"id":"1"}],"pages":{"next":{"starting_after":"s1"}}}"#))
        #expect(search.next?.body?["pagination"] == ["per_page": 1, "starting_after": "s1"] && search.next?.query.isEmpty == true)

        var scroll = APIPageWalk(first: IntercomRequest(method: .get, path: "companies/scroll"))
        _ = scroll.received(try Self.page(#"{"type":"company.list","data":[{"id":"a"}],"scroll_param":"p1"}"#))
        #expect(scroll.next?.encodedQuery == "scroll_param=p1")
        _ = scroll.received(try Self.page(#"{"type":"company.list","data":[{"id":"b"}],"scroll_param":"p1"}"#))
        #expect(scroll.next?.encodedQuery == "scroll_param=p1")
        #expect(try scroll.received(Self.page(#"{"type":"company.list","data":[],"scroll_param":"p1"}"#)).items.isEmpty)
        #expect(scroll.next == nil && scroll.items == 2)

        var events = APIPageWalk(first: IntercomRequest(method: .get, path: "events", query: [("type", "user")]), basePath: "/api/")
        let items = try events.received(Self.page(#"{"type":"event.list","events":[{"id":"e1"}],"pages":{"next":"https://api.intercom.io/api/events?type=user&before=99"}}"#)).items
        #expect(items == [["id": "e1"]] && events.next?.path == "events" && events.next?.encodedQuery == "type=user&before=99")

        var listed = APIPageWalk(first: IntercomRequest(method: .post, path: "companies/list", query: [("per_page", "1")]))
        _ = listed.received(try Self.page(#"{"type":"list","data":[{"id":"a"}],"pages":{"page":1,"total_pages":3}}"#))
        #expect(listed.next?.method == .post && listed.next?.encodedQuery == "per_page=1&page=2")

        var numbered = APIPageWalk(first: IntercomRequest(method: .get, path: "companies", query: [("per_page", "1")]))
        _ = numbered.received(try Self.page(#"{"type":"list","data":[{"id":"a"}],"pages":{"page":1,"total_pages":2}}"#))
        #expect(numbered.next?.encodedQuery == "per_page=1&page=2")
        _ = numbered.received(try Self.page(#"{"type":"list","data":[{"id":"b"}],"pages":{"page":2,"total_pages":2}}"#))
        #expect(numbered.next == nil)

        var conversations = APIPageWalk(first: IntercomRequest(method: .get, path: "conversations"))
        #expect(try conversations.received(Self.page(#"{"type":"conversation.list","conversations":[{"id":"1"}],"total_count":1}"#)).items == [["id": "1"]])
    }

    @Test("a walk that would not end is invalid_response: a repeated cursor, an empty page naming a next, a stuck scroll")
    func endlessWalks() throws {
        func failure(_ first: IntercomRequest, _ pages: [String]) throws -> ResultRecord.Failure? {
            var walk = APIPageWalk(first: first)
            for page in pages {
                if let failure = walk.received(try Self.page(page)).failure { return failure }
            }
            return nil
        }
        let list = IntercomRequest(method: .get, path: "contacts")
        let repeated = #"{"data":[{"id":"1"}],"pages":{"next":{"starting_after":"same"}}}"#
        #expect(try failure(list, [repeated, repeated])?.message.contains("named a next page it had named before") == true)
        #expect(try failure(list, [#"{"data":[],"pages":{"next":{"starting_after":"x"}}}"#])?.message.contains("no items names a next page") == true)
        let stuck = #"{"data":[{"id":"a"}],"scroll_param":"p"}"#
        #expect(try failure(IntercomRequest(method: .get, path: "companies/scroll"), [stuck, stuck])?.type == .api(.invalidResponse))
        #expect(try failure(list, [#"{"type":"contact","id":"1"}"#])?.message.contains("no list") == true)
        let events = IntercomRequest(method: .get, path: "events", query: [("type", "user")])
        let fragment = (0..<3).map { #"{"events":[{"id":"\#($0)"}],"pages":{"next":"/events?x=1#f\#($0)"}}"# }
        #expect(try failure(events, fragment)?.message.contains("named a next page it had named before") == true)
        let hosts = (0..<3).map { #"{"events":[{"id":"\#($0)"}],"pages":{"next":"http://h\#($0).example/events?x=1"}}"# }
        #expect(try failure(events, hosts)?.message.contains("named a next page it had named before") == true)
        let elsewhere = #"{"events":[{"id":"1"}],"pages":{"next":"/admins/%2e%2e/%2E%2e/x%2Fy?n=1"}}"#
        #expect(try failure(events, [elsewhere])?.message.contains("leaves /events for another path") == true)
        let alternating = [#"{"data":[{"id":"a"}],"scroll_param":"p"}"#, #"{"data":[{"id":"b"}],"scroll_param":"p"}"#]
        #expect(try failure(IntercomRequest(method: .get, path: "companies/scroll"), alternating + alternating)?.message.contains("only items it had given before") == true)
        let changing = (0..<3).map { #"{"data":[{"id":"c-1","updated_at":\#($0)}],"scroll_param":"p"}"# }
        #expect(try failure(IntercomRequest(method: .get, path: "companies/scroll"), changing)?.message.contains("only items it had given before") == true)
        #expect(try failure(list, [#"{"data":[1,"x",null]}"#])?.message.contains("where an object belongs") == true)
        var overlapping = APIPageWalk(first: IntercomRequest(method: .get, path: "companies/scroll"))
        var given: [JSONValue] = []
        for page in [#"[{"id":"c0"},{"id":"c1"}]"#, #"[{"id":"c1"},{"id":"c2"}]"#, #"[{"id":"c2"},{"id":"c3"}]"#, "[]"] {
            given += overlapping.received(try Self.page(#"{"data":\#(page),"scroll_param":"p","total_count":4}"#)).items
        }
        #expect(given.compactMap { $0["id"]?.stringValue } == ["c0", "c1", "c2", "c3"] && overlapping.next == nil)
        var inflated = [String]()
        for index in 0..<8 { inflated.append(#"{"data":[{"id":"\#(index)"}],"total_count":1,"pages":{"next":{"starting_after":"c\#(index)"}}}"#) }
        #expect(try failure(list, inflated)?.message.contains("more than twice") == true)
    }
}
