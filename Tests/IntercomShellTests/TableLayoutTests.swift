import IntercomKit
import IntercomShell
import Testing

/// Tables fitted to a terminal's width: shrunk columns with `…`, the expanded view when they cannot fit, single
/// objects expanded.
@Suite("Table layout")
struct TableLayoutTests {
    static let users: JSONValue = ["type": "user.list", "users": [
        ["user_id": "123", "email": "somebody@example.com", "name": "Somebody", "created_at": 1_270_000_000, "session_count": 0],
        ["user_id": "abc123", "email": "abc123@example.com", "name": "Abc User", "created_at": 1_270_000_000, "session_count": 3],
    ], "total_count": 2]

    static func table(_ result: JSONValue, width: Int?) -> String {
        var renderer = RecordRenderer(format: .table, times: TimeFormatter(display: .utc))
        renderer.width = width
        return renderer.render(ResultRecord(line: 1, op: "get_users", outcome: .success(result)))
    }

    @Test("columns as wide as their cells when that fits; else the widest shrink to a floor; else expanded")
    func fitting() {
        #expect(TableLayout.fit(natural: [10, 20], width: 80) == .columns([10, 20]))
        #expect(TableLayout.fit(natural: [10, 40, 30], width: 50) == .columns([10, 18, 17]), "the widest shrink first")
        #expect(TableLayout.fit(natural: [30, 30, 30, 30, 30, 30], width: 40) == .expanded, "six floors of 8 do not fit in 39")
        for width in 20...200 {
            if case .columns(let widths) = TableLayout.fit(natural: [24, 28, 20, 20, 20, 13], width: width) {
                #expect(widths.reduce(0, +) + 2 * (widths.count - 1) <= width - 1, "width \(width)")
            }
        }
        #expect(TableLayout.cut("somebody@example.com", to: 10) == "somebody@…")
        #expect(TableLayout.fit(natural: [24, 12, 20], width: 50, floors: [36, 4, 8]) == .columns([24, 4, 17]),
            "an id stays whole; an empty column gives way first")
    }

    @Test("a list at 120 columns is one table; at 40 it is expanded, a record at a time; no line is wider than the terminal")
    func widths() {
        let wide = Self.table(Self.users, width: 120)
        #expect(wide.hasPrefix("user_id  email") && wide.contains("somebody@example.com") && wide.contains("(2 users)"), "\(wide)")
        let narrow = Self.table(Self.users, width: 40)
        #expect(narrow.contains("-[ RECORD 1 ]") && narrow.contains("-[ RECORD 2 ]") && narrow.contains("email          abc123@example.com"), "\(narrow)")
        for text in [wide, narrow] { #expect(text.split(separator: "\n").allSatisfy { $0.count <= 119 }) }
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 39 }, "\(narrow)")
        let squeezed = Self.table(Self.users, width: 60)
        #expect(squeezed.contains("…") && squeezed.split(separator: "\n").allSatisfy { $0.count <= 59 }, "\(squeezed)")
        #expect(Self.table(Self.users, width: nil).contains("2010-03-31T01:46:40Z"), "no width: cells whole, as before")
    }

    @Test("a single object is shown expanded, key and value, with no record rule")
    func singleObject() {
        let user: JSONValue = ["user_id": "123", "email": "somebody@example.com", "name": "Somebody", "intercom_id": "x"]
        let text = Self.table(user, width: 100)
        #expect(text.hasPrefix("user_id") && text.contains("\nemail    somebody@example.com\n") && !text.contains("RECORD"), "\(text)")
    }
}
