/// Text wrapped to a width between words, as a terminal shows help: each line that is too long breaks at its last
/// space that fits, and goes on indented as far as the line began (plus two spaces for an item of a list); a word
/// longer than the width is cut only when nothing else can be done.
public enum WordWrap {
    /// `text` with each of its lines wrapped to `width` columns (characters).
    public static func wrap(_ text: String, width: Int) -> String {
        guard width > 8 else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { wrapLine(String($0), width: width) }.joined(separator: "\n")
    }

    private static func wrapLine(_ line: String, width: Int) -> String {
        guard line.count > width else { return line }
        let indent = String(repeating: " ", count: min(width / 2, line.prefix { $0 == " " }.count + 2))
        var lines: [String] = []
        var rest = Substring(line)
        var prefix = ""
        while prefix.count + rest.count > width {
            let room = width - prefix.count
            let window = rest.prefix(room + 1)
            let head = rest.prefix(room)
            let breakAt = window.lastIndex(of: " ").flatMap { $0 > rest.startIndex && rest[rest.startIndex..<$0].contains { $0 != " " } ? $0 : nil }
            let cut = breakAt ?? head.endIndex
            lines.append(prefix + rest[..<cut])
            rest = rest[cut...].drop { $0 == " " }
            prefix = indent
            if rest.isEmpty { break }
        }
        if !rest.isEmpty { lines.append(prefix + rest) }
        return lines.joined(separator: "\n")
    }
}
