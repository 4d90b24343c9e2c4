import IntercomShell
import Testing

@Suite("Line splitting")
struct LineSplitterTests {
    @Test("numbers lines, keeps the last line without newline, strips a leading BOM")
    func basics() {
        var splitter = LineSplitter()
        let lines = splitter.feed(Array("\u{FEFF}a\nb\r\n\nc".utf8)) + splitter.finish()
        #expect(lines.map(\.number) == [1, 2, 3, 4])
        #expect(lines.map { try? $0.content.get() } == ["a", "b\r", "", "c"])
    }

    @Test("an over-long line becomes an error and the next line is read normally")
    func tooLong() throws {
        var splitter = LineSplitter(maximumLineBytes: 8)
        let lines = splitter.feed(Array("short\n0123456789abcdef\nnext\n".utf8))
        #expect(lines.count == 3)
        if case .failure(let error) = lines[1].content { #expect(error.message.contains("longer than the limit of 8 bytes")) } else { Issue.record("not refused") }
        #expect(try lines[2].content.get() == "next")
        #expect(lines[2].number == 3)
    }

    @Test("invalid UTF-8 is refused for that line only")
    func invalidUTF8() throws {
        var splitter = LineSplitter()
        let lines = splitter.feed([0x61, 0xFF, 0xFE, 0x0A, 0x62, 0x0A])
        if case .failure(let error) = lines[0].content { #expect(error.message.contains("UTF-8")) } else { Issue.record("not refused") }
        #expect(try lines[1].content.get() == "b")
    }

    @Test("a line split across chunks is joined")
    func chunks() {
        var splitter = LineSplitter()
        var lines = splitter.feed(Array("hel".utf8))
        lines += splitter.feed(Array("lo\nwor".utf8))
        lines += splitter.feed(Array("ld".utf8))
        lines += splitter.finish()
        #expect(lines.map { try? $0.content.get() } == ["hello", "world"])
    }
}
