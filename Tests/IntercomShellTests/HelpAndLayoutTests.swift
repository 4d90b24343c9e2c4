import Foundation
import IntercomKit
import IntercomShell
import LineEditing
import Testing

/// Help for the whole language, and text laid out for a terminal: help wrapped between words, completion candidates
/// in columns, tables' event columns, and results with nothing to show.
@Suite("Help and terminal layout")
struct HelpAndLayoutTests {
    static func help(_ line: String) -> String? {
        guard case .success(.help(let text)) = CommandParser.parse(line) else { return nil }
        return text
    }

    @Test("help WORD lists every command starting with it; the meta-commands, as NAME and references have help")
    func helpForEveryWord() throws {
        let find = try #require(Self.help("help find"))
        #expect(find.contains("find user") && find.contains("find tag"), "\(find)")
        let create = try #require(Self.help("help create"))
        #expect(create.contains("create user") && create.contains("create company") && create.contains("create attribute"))
        for (topic, expected) in [("set", "set output"), ("source", "source FILE"), ("record", "record FILE"), ("exit", "Ctrl-D"),
            ("as", "as NAME"), ("${", "${NAME.field}"), ("references", "${_}")]
        {
            #expect(Self.help("help \(topic)")?.contains(expected) == true, "help \(topic)")
        }
        let overview = try #require(Self.help("help"))
        for word in ["source FILE", "set [output", "record FILE", "exit", "as NAME", "${NAME.field}"] {
            #expect(overview.contains(word), "the list names \(word)")
        }
        #expect(Self.help("help nosuchthing") == nil)
    }

    @Test("help search users lists the searchable fields with their operators")
    func searchFields() throws {
        let text = try #require(Self.help("help search users"))
        #expect(text.contains("searchable fields of contacts"))
        #expect(text.contains("= != IN NIN ~ !~ ^ $: ") && text.contains("email"), "\(text)")
        #expect(text.contains("= < >: ") && text.contains("updated_at"))
        #expect(text.contains("custom_attributes.NAME"))
        let conversations = try #require(Self.help("help conversations search"))
        #expect(conversations.contains("searchable fields of conversations") && conversations.contains("state"))
    }

    @Test("help text wraps between words at the width, continuation lines indented; no line is longer than the width")
    func wrapping() {
        let text = "usage: find user <ident>\n  example: find user email=somebody@example.com then more words to wrap around"
        let wrapped = WordWrap.wrap(text, width: 30)
        #expect(wrapped.split(separator: "\n").allSatisfy { $0.count <= 30 }, "\(wrapped)")
        #expect(wrapped.contains("\n    ") && !wrapped.contains("exampl\n"), "\(wrapped)")
        #expect(wrapped.replacingOccurrences(of: "\n", with: " ").split(separator: " ") == text.replacingOccurrences(of: "\n", with: " ").split(separator: " "),
            "no word is broken or lost")
        #expect(WordWrap.wrap("x" + String(repeating: "y", count: 40), width: 20).split(separator: "\n").allSatisfy { $0.count <= 20 })
    }

    @Test("completion candidates come in columns that fit the width, never broken mid-word")
    func candidateColumns() {
        let candidates = ["create_user", "create_tag", "create_note", "create_event", "create_company", "create_attribute"]
        let narrow = CandidateLayout.text(candidates, width: 40)
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 40 }, "\(narrow)")
        #expect(narrow == "create_user       create_event\ncreate_tag        create_company\ncreate_note       create_attribute")
        #expect(CandidateLayout.text(candidates, width: 10).split(separator: "\n").count == 6, "one a line when none fit beside another")
        #expect(CandidateLayout.text(["a", "b"], width: 80) == "a  b")
    }

    @Test("a table of events shows their names; a result with nothing to show says so instead of null")
    func eventsAndEmptyResults() {
        var renderer = RecordRenderer(format: .table, times: TimeFormatter(display: .utc))
        let events: JSONValue = ["type": "event.summary", "events": [["name": "sent-invite", "count": 3, "first": "2026-01-01", "last": "2026-02-01"]]]
        let table = renderer.render(ResultRecord(line: 1, op: "list_events", outcome: .success(events)))
        #expect(table.contains("sent-invite") && table.contains("count"), "\(table)")
        var pretty = RecordRenderer(format: .pretty)
        let event = pretty.render(ResultRecord(line: 1, op: "create_event", outcome: .success(.null)))
        #expect(event == "ok (create_event answers with nothing to show)\n")
    }
}
