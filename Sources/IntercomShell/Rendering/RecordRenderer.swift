public import IntercomKit

/// Turns result records into text for one ``OutputFormat``, never showing the api key.
public struct RecordRenderer: Sendable {
    /// The format.
    public var format: OutputFormat
    /// Whether pretty output uses ANSI colours.
    public var colored: Bool
    /// A secret that must never be printed: any occurrence is replaced by `***`.
    public var secret: String?
    private var count = 0

    /// Creates a renderer.
    public init(format: OutputFormat, colored: Bool = false, secret: String? = nil) {
        self.format = format
        self.colored = colored
        self.secret = secret.flatMap { $0.count >= 4 ? $0 : nil }
    }

    /// Text to write before the first record.
    public func header() -> String {
        format == .json ? "[" : ""
    }

    /// The text of one record, ending with a newline.
    public mutating func render(_ record: ResultRecord) -> String {
        defer { count += 1 }
        let text: String
        switch format {
        case .ndjson:
            text = record.ndjson + "\n"
        case .json:
            text = (count == 0 ? "\n" : ",\n") + record.ndjson
        case .pretty:
            text = pretty(record)
        }
        return scrub(text)
    }

    /// The text of a closing summary object, written as one more record: `{"summary":{…}}`.
    public mutating func renderSummary(_ summary: JSONValue) -> String {
        defer { count += 1 }
        let object: JSONValue = ["summary": summary]
        switch format {
        case .ndjson: return object.encodedString() + "\n"
        case .json: return (count == 0 ? "\n" : ",\n") + object.encodedString()
        case .pretty: return PrettyJSON(colored: colored).render(object) + "\n"
        }
    }

    /// Text to write after the last record.
    public func footer() -> String {
        format == .json ? (count == 0 ? "]\n" : "\n]\n") : ""
    }

    /// `text` with the secret replaced by `***`.
    public func scrub(_ text: String) -> String {
        guard let secret, Self.contains(text, secret) else { return text }
        return text.replacing(secret, with: "***")
    }

    /// Whether `needle` occurs in `text`, byte for byte: a scan on every record written, kept simple because the
    /// standard library's generic `utf8.contains(_:)` and Foundation's locale-aware search were both far slower.
    static func contains(_ text: String, _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return true }
        let haystack = text.utf8
        var index = haystack.startIndex
        while let found = haystack[index...].firstIndex(of: first) {
            if haystack[found...].starts(with: pattern) { return true }
            index = haystack.index(after: found)
        }
        return false
    }

    private func pretty(_ record: ResultRecord) -> String {
        switch record.outcome {
        case .success(let result):
            if record.op == "help", let help = result["help"]?.stringValue { return help + "\n" }
            return PrettyJSON(colored: colored).render(result) + "\n"
        case .failure(let failure):
            var text = "line \(record.line): "
            if let op = record.op { text += "\(op): " }
            text += failure.type
            if let status = failure.status { text += " (\(status))" }
            text += ": " + failure.message
            return (colored ? "\u{1B}[31m" + text + "\u{1B}[0m" : text) + "\n"
        }
    }
}

/// Indented JSON with sorted keys, coloured like jq when asked.
public struct PrettyJSON: Sendable {
    /// Whether to use ANSI colours.
    public var colored: Bool

    /// Creates a printer.
    public init(colored: Bool) { self.colored = colored }

    /// The indented text of `value`.
    public func render(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output)
        return output
    }

    private func paint(_ text: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m" + text + "\u{1B}[0m" : text
    }

    private func write(_ value: JSONValue, indent: Int, into output: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closing = String(repeating: "  ", count: indent)
        switch value {
        case .null: output += paint("null", "1;30")
        case .bool(let flag): output += paint(flag ? "true" : "false", "33")
        case .integer, .double: output += paint(value.encodedString(), "36")
        case .string: output += paint(value.encodedString(), "32")
        case .array(let items):
            guard !items.isEmpty else { output += "[]"; return }
            output += "[\n"
            for (index, item) in items.enumerated() {
                output += pad
                write(item, indent: indent + 1, into: &output)
                output += index == items.count - 1 ? "\n" : ",\n"
            }
            output += closing + "]"
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            output += "{\n"
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                output += pad + paint(JSONValue.string(key).encodedString(), "34;1") + ": "
                write(members[key]!, indent: indent + 1, into: &output)
                output += index == keys.count - 1 ? "\n" : ",\n"
            }
            output += closing + "}"
        }
    }
}
