import Foundation
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

    @Test("wide characters (CJK, emoji) take two columns: rows stay aligned, and no cut overflows the width")
    func wideCharacters() throws {
        #expect(TerminalText.width("日本語") == 6 && TerminalText.width("a👨‍👩‍👧‍👦b") == 4 && TerminalText.width("e\u{301}") == 1)
        #expect(TerminalText.cut("日本語の名前", to: 7) == "日本語…" && TerminalText.width(TerminalText.cut("日本語の名前", to: 6)) <= 6)
        let users: JSONValue = ["type": "user.list", "users": [
            ["user_id": "1", "email": "a@x.io", "name": "日本語の名前テスト長い名前です", "role": "lead"],
            ["user_id": "2", "email": "b@x.io", "name": "👨‍👩‍👧‍👦 family 🎉", "role": "lead"], ["user_id": "3", "email": "c@x.io", "name": "Ann", "role": "lead"],
        ]]
        for width in [40, 60, 120] {
            let text = Self.table(users, width: width)
            for line in text.split(separator: "\n") { #expect(TerminalText.width(line) <= width - 1, "\(width): \(line)") }
            if !text.contains("RECORD") {
                // Whatever the names, the column after them starts at the same place on every row.
                let starts = try ["1", "2", "3"].map { id in
                    let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(id + " ") })
                    let role = try #require(line.range(of: "lead", options: .backwards))
                    return TerminalText.width(line[..<role.lowerBound])
                }
                #expect(Set(starts).count == 1, "\(width): \(text)")
            }
        }
    }
}
