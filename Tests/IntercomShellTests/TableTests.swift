import Foundation
import IntercomKit
import IntercomShell
import Testing

/// The table view: every list result and the objects of those kinds, v1's shapes and 2.x's.
@Suite("Table view")
struct TableTests {
    static let utc = TimeFormatter(display: .utc)

    static func table(_ json: String) throws -> Table? {
        Table(try JSONValue(parsing: json), times: utc)
    }

    @Test("a v1 users page: user columns, dates, and where the page sits")
    func usersPage() throws {
        let page = try JSONValue(parsing: """
            {"users":[
              {"intercom_id":"528f2cbb","email":"somebody@example.com","user_id":"123","name":"Somebody","created_at":1270000000,
               "last_impression_at":1300000000,"custom_data":{"app_name":"Genesis"},"session_count":0,"company_ids":[]},
              {"intercom_id":"528f27c3","email":"abc123@example.com","user_id":"abc123","name":"Abc User","created_at":1270000000,
               "last_impression_at":null,"custom_data":{},"session_count":2,"company_ids":[6]}
            ],"total_count":2,"page":1,"next_page":null,"previous_page":null,"total_pages":1}
            """)
        let table = try #require(Table(page, times: Self.utc))
        #expect(table.columns == ["user_id", "email", "name", "created_at", "last_impression_at", "session_count"])
        #expect(table.rows.count == page["users"]?.arrayValue?.count)
        #expect(table.rows[0][3] == "2010-03-31T01:46:40Z")
        #expect(table.footer?.hasPrefix("(page 1 of ") == true)
        let lines = table.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("user_id  email"))
        #expect(lines[1].allSatisfy { $0 == "-" || $0 == " " })
        #expect(lines.count == 2 + table.rows.count + 1)
        for (list, type, one) in [("users", "user", "(1 user)"), ("companies", "company", "(1 company)"), ("data", "contact", "(1 item)")] {
            let single: JSONValue = [.init(stringLiteral: list): [["id": "1", "name": "x", "type": .string(type)]], "total_count": 1, "type": "list"]
            #expect(Table(single, times: Self.utc)?.footer == one, "\(list)")
        }
    }

    static let shapes: [(String, String, [String])] = [
        ("v1 tag", #"{"id":"5232","name":"Free Trial","segment":false,"tagged_user_count":2}"#, ["id", "name", "tagged_user_count"]),
        ("v1 threads", #"[{"thread_id":5591,"read":true,"messages":[{},{}],"created_at":1385114400,"updated_at":1385028000}]"#,
         ["thread_id", "read", "messages", "created_at", "updated_at"]),
        ("v1 note", #"{"html":"<p>A note</p>","created_at":1300000000,"user":{"email":"a@example.com","intercom_id":"x"}}"#,
         ["created_at", "user.email", "html"]),
        ("2.x contacts", #"{"type":"list","data":[{"type":"contact","id":"65a","external_id":"7","email":"a@example.com","name":"A","role":"user","created_at":1,"last_seen_at":null}],"total_count":1,"pages":{"type":"pages","page":1,"total_pages":1}}"#,
         ["id", "external_id", "email", "name", "role", "created_at", "last_seen_at"]),
        ("2.x tags", #"{"type":"list","data":[{"type":"tag","id":"17","name":"Free Trial"}]}"#, ["id", "name"]),
        ("2.x conversations", #"{"type":"conversation.list","conversations":[{"type":"conversation","id":"9","state":"open","read":false,"title":null,"created_at":1,"updated_at":2}],"total_count":1}"#,
         ["id", "state", "read", "title", "created_at", "updated_at"]),
        ("2.x notes", #"{"type":"list","data":[{"type":"note","id":"3","created_at":1,"contact":{"id":"65a"},"author":{"name":"Ana"},"body":"<p>Hi</p>"}]}"#,
         ["id", "created_at", "author.name", "body"]),
        ("2.x events", #"{"type":"event.summary","events":[{"event_name":"sent-invite","created_at":1,"user_id":"7","email":"a@example.com"}]}"#,
         ["event_name", "created_at", "user_id", "email"]),
    ]

    @Test("each kind of list and object gets its columns", arguments: shapes)
    func kinds(name: String, json: String, columns: [String]) throws {
        let table = try #require(try Self.table(json), "\(name)")
        #expect(table.columns == columns, "\(name)")
        #expect(table.rows.allSatisfy { $0.count == columns.count })
    }

    @Test("results of no known kind have no table")
    func noTable() throws {
        #expect(try Self.table(#"{"unread_messages":0}"#) == nil)
        #expect(try Self.table("null") == nil)
        #expect(try Self.table("[1,2]") == nil)
    }

    @Test("cells: control characters become spaces, long text is cut, arrays are counted")
    func cells() throws {
        let long = String(repeating: "x", count: 100)
        let table = try #require(try Self.table(#"{"html":"a\n\u001b[2Jb","created_at":1,"user":{"email":"\#(long)"}}"#))
        #expect(table.rows[0][2] == "a  [2Jb")
        #expect(table.rows[0][1].count == Table.maximumCellLength)
        #expect(table.rows[0][1].hasSuffix("…"))
    }

    @Test("rows of one-row tables of the same columns continue one table; another kind starts a new one")
    func streaming() {
        var renderer = RecordRenderer(format: .table, times: Self.utc)
        func user(_ email: String) -> ResultRecord {
            ResultRecord(line: 1, op: "all_users", outcome: .success(["intercom_id": "x", "user_id": "1", "email": .string(email), "created_at": 0]))
        }
        let first = renderer.render(user("a@example.com"))
        let second = renderer.render(user("a-longer-address@example.com"))
        let tag = renderer.render(ResultRecord(line: 2, op: "get_tag", outcome: .success(["id": "1", "name": "T", "tagged_user_count": 0])))
        let failure = renderer.render(ResultRecord(line: 3, op: "get_user", outcome: .failure(.init(type: .api(.notFound), status: 404, message: "gone"))))
        let third = renderer.render(user("b@example.com"))
        #expect(first.split(separator: "\n").count == 3)
        #expect(first.hasPrefix("user_id"))
        #expect(second.split(separator: "\n").count == 1)
        #expect(second.contains("a-longer-address@example.com  1970-01-01T00:00:00Z"))
        let firstRow = first.split(separator: "\n")[2]
        #expect(firstRow.range(of: "1970")?.lowerBound.utf16Offset(in: firstRow) == second.range(of: "1970")?.lowerBound.utf16Offset(in: second))
        #expect(tag.hasPrefix("id"))
        #expect(failure == "line 3: get_user: not_found (404): gone\n")
        #expect(third.hasPrefix("user_id"), "a failure ends the table above it")
    }
}
