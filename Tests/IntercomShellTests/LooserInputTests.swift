import Foundation
import IntercomKit
import IntercomShell
import Testing

/// What python-intercom 0.2.13 and the v1 clients of its time accepted: dates for times, `company`, `increments`,
/// numbers among user_ids; and `thread` without a thread id refused as the seed refused it.
@Suite("Looser inputs")
struct LooserInputTests {
    /// The request body a line would send.
    static func body(_ line: String) throws -> JSONObject {
        guard case .success(.operation(let operation)) = LineInterpreter().interpret(line) else {
            Issue.record("'\(line)' did not parse: \(LineInterpreter().interpret(line))")
            throw InputError("no operation")
        }
        return try #require(try operation.request(now: { 42 }).body)
    }

    /// Why a line is refused, parsing or checking.
    static func refusal(_ line: String) -> String? {
        switch LineInterpreter().interpret(line) {
        case .failure(let error): return error.message
        case .success(.operation(let operation)):
            do { _ = try operation.request(now: { 42 }) } catch { return error.message }
            return nil
        case .success: return nil
        }
    }

    @Test("every time parameter takes a date or date-time, in both syntaxes")
    func datesForTimes() throws {
        let midnight = try #require(TimeInput.unixSeconds(from: "2014-01-01"))
        #expect(try Self.body("create user a@example.com created_at=2014-01-01")["created_at"] == .integer(midnight))
        #expect(try Self.body("update user 1 last_request_at=2014-01-01T10:00:00Z")["last_request_at"] == 1_388_570_400)
        #expect(try Self.body("update user 1 last_impression_at='2014-01-01 11:00:00+01:00'")["last_impression_at"] == 1_388_570_400)
        #expect(try Self.body(#"{"op":"create_user","user_id":"1","created_at":"2014-01-01T10:00:00Z"}"#)["created_at"] == 1_388_570_400)
        #expect(try Self.body("event sent-invite 1 created=2014-01-01T10:00:00Z")["created"] == 1_388_570_400)
        #expect(try Self.body("create user 1 created_at=1257553080")["created_at"] == 1_257_553_080)
        #expect(try Self.body(#"{"op":"create_user","user_id":"1","created_at":1257553080.9}"#)["created_at"] == 1_257_553_080)
    }

    @Test("a text that is no date is refused, naming the parameter and the text")
    func wrongDates() {
        #expect(Self.refusal("create user 1 created_at=2014-02-30")
            == "created_at must be a Unix time in seconds or an ISO 8601 date, not \"2014-02-30\"")
        #expect(Self.refusal(#"{"op":"create_event","event_name":"e","user_id":"1","created":"yesterday"}"#)?.hasPrefix("created must be") == true)
    }

    @Test("company: one object with an id, its created_at may be a date")
    func company() throws {
        let body = try Self.body(#"create user 1 company={"id":6,"name":"Intercom","created_at":"2014-01-01T00:00:00Z"}"#)
        #expect(body["company"] == ["id": 6, "name": "Intercom", "created_at": 1_388_534_400])
        #expect(try Self.body("update user 1 company.id=6 company.name=Intercom")["company"] == ["id": 6, "name": "Intercom"])
        #expect(Self.refusal(#"create user 1 company={"name":"Intercom"}"#) == "company has no id")
        #expect(Self.refusal("create user 1 company=acme") == "company must be an object with an id, not \"acme\"")
        #expect(Self.refusal(#"create user 1 company={"id":6,"created_at":"soon"}"#)?.hasPrefix("company.created_at must be") == true)
        let companies = try Self.body(#"create user 1 companies=[{"id":6,"created_at":"2014-01-01T00:00:00Z"}]"#)["companies"]
        #expect(companies == [["id": 6, "created_at": 1_388_534_400]])
        #expect(Self.refusal(#"create user 1 companies=[{"id":6},{"name":"x"}]"#) == "companies[1] has no id")
    }

    @Test("increments: numbers added to custom_data keys")
    func increments() throws {
        #expect(try Self.body(#"update user 1 increments={"logins":2}"#)["increments"] == ["logins": 2])
        #expect(try Self.body("update user 1 increments.logins=-1 increments.spend=2.5")["increments"] == ["logins": -1, "spend": 2.5])
        #expect(try Self.body(#"{"op":"create_user","email":"a@example.com","increments":{"logins":1}}"#)["increments"] == ["logins": 1])
        #expect(Self.refusal("update user 1 increments.logins=two") == "increments must hold only numbers, not \"two\" for 'logins'")
        #expect(Self.refusal("update user 1 increments.admin=true") == "increments must hold only numbers, not a boolean for 'admin'")
        #expect(Self.refusal("update user 1 increments=3") == "increments must be an object of numbers, not a number")
    }

    @Test("numbers among user_ids are user_ids, as in user_id")
    func numericUserIDs() throws {
        let line = #"{"op":"create_tag","name":"T","tag_or_untag":"tag","user_ids":[123,"abc"]}"#
        #expect(try Self.body(line)["user_ids"] == ["123", "abc"])
        #expect(try Self.body("create_tag name=T tag_or_untag=tag user_ids=[123]")["user_ids"] == ["123"])
        #expect(try Self.body(#"{"op":"update_tag","name":"T","tag_or_untag":"untag","user_ids":7}"#)["user_ids"] == ["7"])
        #expect(Self.refusal(#"{"op":"create_tag","name":"T","user_ids":[1.5]}"#) == "user_ids must hold only strings and numbers, not 1.5")
        #expect(Self.refusal(#"{"op":"create_tag","name":"T","emails":[1]}"#) == "emails must hold only strings, not a number")
    }

    @Test("thread without a thread id is refused naming thread_id; threads lists")
    func threadNeedsID() throws {
        guard case .failure(let error) = LineInterpreter().interpret("thread somebody@example.com") else {
            Issue.record("thread without an id was accepted")
            return
        }
        #expect(error.message == "thread_id is required (usage: thread <ident> <thread_id>)")
        #expect(error.column == 1)
        #expect(Self.refusal("threads somebody@example.com") == nil)
        #expect(Self.refusal("thread somebody@example.com 5591") == nil)
        #expect(Self.refusal("thread thread_id=5591 email=somebody@example.com") == nil)
    }
}
