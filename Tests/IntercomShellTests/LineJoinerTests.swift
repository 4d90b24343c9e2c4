import Foundation
import IntercomTesting
import Testing

@testable import IntercomShell

/// Logical lines: the open-value rule agrees with the tokenizer, and a quote left open costs time in proportion to
/// what it gathers.
@Suite("Line joining")
struct LineJoinerTests {
    static let samples: [String] = [
        #"note 1 "open"#, #"note 1 'open"#, #"note 1 "closed""#, #"create user 1 custom_data={"a":"#, #"create user 1 custom_data={"a":1}"#,
        #"create user 1 name=x{"#, #"tag "a b" x [1,"#, #"a ""{"#, #"k={"a":1}={"#, #"note 1 "esc\"aped"#, #"note 1 "ends in \"#,
        #"note 1 "bad \u00zz""#, #"note 1 "short \u00"#, #"note 1 "\ud800""#, "# comment \"open", "note 1 \"a\u{1}b", "note 1 \"cr\r",
        "find user x # \"not open", #"x "a"="{"#, #"x a="b"{"#, "", "   ",
    ]

    @Test("a line is open by the scanner exactly when the tokenizer finds it incomplete", arguments: samples)
    func scannerAgreesWithTokenizer(text: String) {
        // A trailing backslash is decided before any scanning.
        guard !LineInterpreter.continues(text) else { return }
        var scanner = OpenValueScanner()
        scanner.scan(text)
        let incomplete: Bool = if case .incomplete = CommandTokenizer.split(text), !LineInterpreter.continues(text) { true } else { false }
        #expect(scanner.isOpen == incomplete, "\(text.debugDescription)")
    }

    @Test("so does every line of the malformed-input corpus, scanned whole and a character at a time")
    func corpusAgrees() throws {
        let corpus = RepositoryPaths.root.appendingPathComponent("Tests/Fixtures/malformed-input")
        for file in try FileManager.default.contentsOfDirectory(atPath: corpus.path) {
            let text = String(decoding: try Data(contentsOf: corpus.appendingPathComponent(file)), as: UTF8.self)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            where !LineInterpreter.isNDJSON(line) && !LineInterpreter.continues(line) {
                var whole = OpenValueScanner()
                whole.scan(line)
                var pieces = OpenValueScanner()
                for character in line { pieces.scan(String(character)) }
                let incomplete: Bool = if case .incomplete = CommandTokenizer.split(line), !LineInterpreter.continues(line) { true } else { false }
                #expect(whole.isOpen == incomplete && pieces.isOpen == incomplete || line.hasSuffix("\r"), "\(file): \(line.debugDescription)")
            }
        }
    }

    @Test("at the prompt, a stray quote before 20,000 lines gathers up to the byte limit, is refused, and the lines after it run", .timeLimit(.minutes(1)))
    func strayQuoteIsBounded() {
        var joiner = LineJoiner(maximumBytes: 1 << 20, continuesOpenValues: true)
        var joined: [LineJoiner.Joined] = []
        let lines = [#"note 1 "stray"#] + (1...20_000).map { #"{"op":"create_user","user_id":"u\#($0)","email":"u\#($0)@example.com","name":"User"}"# }
        for (index, text) in lines.enumerated() {
            if let line = joiner.add(InputLine(number: index + 1, content: .success(text))) { joined.append(line) }
        }
        guard case .unreadable(1, let error)? = joined.first else {
            Issue.record("the stray quote's line is refused first: \(String(describing: joined.first))")
            return
        }
        #expect(error.message.contains("goes on past 1048576 bytes"))
        #expect(joined.count > 5_000, "the lines after the limit run as lines of their own")
        #expect(joiner.unfinished == nil || joiner.unfinished?.number ?? 0 > 1)
    }

    @Test("at the prompt, a quoted value over three lines keeps its line breaks; a backslash joins without one")
    func joining() {
        var joiner = LineJoiner(continuesOpenValues: true)
        #expect(joiner.add(InputLine(number: 1, content: .success("create user 1 name=\"a"))) == nil)
        #expect(joiner.add(InputLine(number: 2, content: .success(""))) == nil)
        guard case .line(1, let text, let raw)? = joiner.add(InputLine(number: 3, content: .success("b\" email=x@example.com \\"))) else {
            #expect(joiner.isContinuing)
            guard case .line(1, let text, _)? = joiner.add(InputLine(number: 4, content: .success("x=1"))) else {
                Issue.record("line 4 ends the command")
                return
            }
            #expect(text == "create user 1 name=\"a\n\nb\" email=x@example.com x=1")
            return
        }
        Issue.record("a trailing backslash goes on: \(text) \(raw)")
    }
}

extension LineJoinerTests {
    @Test("in a stream every physical line is a line of its own unless it ends in a backslash: a stray quote costs one line")
    func streamLines() {
        var joiner = LineJoiner()
        let lines = [
            #"find user "unterminated"#, #"create user 1 name="Ann Lee" email=ann@example.com"#, #"note 1 "a \"#,
            #"b""#, #"create user 2 custom_data={"a":"#, #"find user email="ann@example.com""#,
        ]
        var joined: [(Int, String)] = []
        for (index, text) in lines.enumerated() {
            if case .line(let number, let text, _)? = joiner.add(InputLine(number: index + 1, content: .success(text))) { joined.append((number, text)) }
        }
        #expect(joined.map(\.0) == [1, 2, 3, 5, 6])
        #expect(joined[2].1 == #"note 1 "a b""#, "a trailing backslash still continues")
        #expect(!joiner.isContinuing)
    }
}
