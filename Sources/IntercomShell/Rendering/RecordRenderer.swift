public import IntercomKit
import Foundation

/// Turns result records into text for one ``OutputFormat``, never showing the connection's secret
/// (``SecretRedaction``).
public struct RecordRenderer: Sendable {
    /// The format.
    public var format: OutputFormat
    /// Whether pretty output uses ANSI colours.
    public var colored: Bool
    /// The secret's forms, replaced by `***` wherever they occur.
    public var redaction: SecretRedaction
    /// How the pretty and table views show times (NDJSON and JSON keep the server's numbers).
    public var times: TimeFormatter
    private var count = 0
    /// The columns and layout of the table whose rows the next one-row table of the same columns continues, and
    /// the rows it has.
    private var openTable: (columns: [String], layout: TableLayout, rows: Int)?
    /// The terminal's width, when the output is one: tables then fit it (``TableLayout``), and single objects are
    /// shown expanded.
    public var width: Int?
    /// The CSV rows' header, fixed by the first result.
    private var csv: CSVTable
    /// The members results are cut to (`--fields`): CSV and table columns, the keys of the other formats.
    public let fields: [String]?
    /// Text for standard error that the last records left (CSV output keeps failures, help and the summary out of
    /// its rows).
    private var diagnostics = ""

    /// Creates a renderer; `fields` are the CSV columns (nil: those of the first result).
    public init(
        format: OutputFormat, colored: Bool = false, redaction: SecretRedaction = .none, times: TimeFormatter = TimeFormatter(),
        fields: [String]? = nil
    ) {
        self.format = format
        self.colored = colored
        self.redaction = redaction
        self.times = times
        self.fields = fields.flatMap { $0.isEmpty ? nil : $0 }
        csv = CSVTable(fields: self.fields, times: times)
    }

    /// Text to write before the first record.
    public func header() -> String {
        format == .json ? "[" : ""
    }

    /// The text of one record, ending with a newline.
    public mutating func render(_ record: ResultRecord) -> String {
        var bytes: [UInt8] = []
        render(record, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text of one record to `output` as UTF-8: the form the pipe writes, with no String built in between.
    public mutating func render(_ record: ResultRecord, into output: inout [UInt8]) {
        defer { count += 1 }
        if format == .json { output.append(contentsOf: (count == 0 ? "\n" : ",\n").utf8) }
        if format == .table {
            let start = output.count
            output.append(contentsOf: tableText(record).utf8)
            redaction.redact(&output, from: start)
            return
        }
        if format == .csv {
            guard case .success(let result) = record.outcome, record.op != "help" else {
                diagnostics += redaction.redacted(pretty(record))
                return
            }
            let start = output.count
            csv.append(result, into: &output)
            redaction.redact(&output, from: start)
            return
        }
        renderApart(record, into: &output)
    }

    /// The CSV header's columns, once written.
    public var csvColumns: [String]? { csv.columns }

    /// Goes on with CSV output under a header an earlier run wrote (nil: none yet).
    public mutating func resumeCSV(columns: [String]?) {
        csv.resume(columns: columns)
    }

    /// The text for standard error the records rendered since the last call left, if any.
    public mutating func takeDiagnostics() -> String? {
        defer { diagnostics = "" }
        return diagnostics.isEmpty ? nil : diagnostics
    }

    /// Whether a record's text depends on the record alone, and not on the records before it (as a JSON array's
    /// commas and a table's header do): then records can be rendered apart, on any task, with ``renderApart(_:into:)``.
    public var rendersApart: Bool { format != .json && format != .table && format != .csv }

    /// A record in the table view: a one-row table with the columns of the table above continues it (so
    /// `users all` is one table); any other table starts anew with its header; results without a table and
    /// failures are shown as in the pretty view. With a ``width``, tables fit it and single objects are expanded.
    private mutating func tableText(_ record: ResultRecord) -> String {
        guard case .success(let result) = record.outcome, record.op != "help", let table = Table(result, times: times, fields: fields) else {
            openTable = nil
            return pretty(selectingFields(record))
        }
        if let width, table.isSingleObject, !record.isListItem {
            openTable = nil
            return table.text(width: width) + "\n"
        }
        if table.rows.count == 1, table.footer == nil, var open = openTable, open.columns == table.columns {
            open.rows += 1
            openTable = open
            return table.text(layout: open.layout, width: width, first: open.rows).split(separator: "\n", omittingEmptySubsequences: false)
                .dropFirst(open.layout == .expanded ? 0 : 2).joined(separator: "\n") + "\n"
        }
        let natural = table.footer == nil ? Table.streamingWidths(table) : Table.widths(columns: table.columns, rows: table.rows)
        let layout = width.map { TableLayout.fit(natural: natural, width: $0, floors: table.floors()) } ?? .columns(natural)
        openTable = table.footer == nil ? (table.columns, layout, table.rows.count) : nil
        return table.text(layout: layout, width: width) + "\n"
    }

    /// Appends the text of one record without counting it (for the formats that render apart, its whole text;
    /// for `json`, without the separator before it). Count records rendered this way with ``count(rendered:)``.
    public func renderApart(_ record: ResultRecord, into output: inout [UInt8]) {
        let record = selectingFields(record)
        let start = output.count
        switch format {
        case .ndjson:
            record.writeNDJSON(to: &output)
            output.append(UInt8(ascii: "\n"))
        case .json:
            record.writeNDJSON(to: &output)
        case .pretty, .table, .csv:
            output.append(contentsOf: pretty(record).utf8)
        }
        redaction.redact(&output, from: start)
    }

    /// Counts `count` records rendered with ``renderApart(_:into:)``.
    public mutating func count(rendered count: Int) {
        self.count += count
    }

    /// The text of a closing summary object, written as one more record: `{"summary":{…}}`.
    public mutating func renderSummary(_ summary: JSONValue) -> String {
        defer { count += 1 }
        let object: JSONValue = ["summary": summary]
        switch format {
        case .ndjson: return object.encodedString() + "\n"
        case .json: return (count == 0 ? "\n" : ",\n") + object.encodedString()
        case .pretty, .table: return PrettyJSON(colored: colored).render(object) + "\n"
        case .csv:
            diagnostics += object.encodedString() + "\n"
            return ""
        }
    }

    /// Text to write after the last record.
    public func footer() -> String {
        format == .json ? (count == 0 ? "]\n" : "\n]\n") : ""
    }

    /// `text` with the secret's forms replaced by `***`.
    public func scrub(_ text: String) -> String {
        redaction.redacted(text)
    }

    /// `record` with its result cut to `fields` (each item of a list result, or the object): nested members rebuilt
    /// from their dotted names, missing ones left out.
    func selectingFields(_ record: ResultRecord) -> ResultRecord {
        guard let fields, case .success(let result) = record.outcome, record.op != "help", case .object(var object) = result else { return record }
        var selected = record
        if let name = TableKind.listNames.first(where: { object[$0]?.arrayValue != nil }), let items = object[name]?.arrayValue {
            object[name] = .array(items.map { Self.select(fields, from: $0) })
            selected.outcome = .success(.object(object))
        } else {
            selected.outcome = .success(Self.select(fields, from: result))
        }
        return selected
    }

    /// The members of `item` at the dotted paths `fields`.
    static func select(_ fields: [String], from item: JSONValue) -> JSONValue {
        guard item.objectValue != nil else { return item }
        var selected: JSONObject = [:]
        for field in fields {
            let path = field.split(separator: ".").map(String.init)
            guard let value = Table.member(field, of: item) else { continue }
            selected = inserting(value, at: path[...], into: selected)
        }
        return .object(selected)
    }

    private static func inserting(_ value: JSONValue, at path: ArraySlice<String>, into object: JSONObject) -> JSONObject {
        guard let key = path.first else { return object }
        var object = object
        object[key] = path.count == 1 ? value : .object(inserting(value, at: path.dropFirst(), into: object[key]?.objectValue ?? [:]))
        return object
    }

    private func pretty(_ record: ResultRecord) -> String {
        switch record.outcome {
        case .success(let result):
            if record.op == "help", let help = result["help"]?.stringValue {
                // Help is prose: wrapped between words at the terminal's width.
                return (width.map { WordWrap.wrap(help, width: $0 - 1) } ?? help) + "\n"
            }
            if result.isNull { return "ok (\(record.op ?? "the line") answers with nothing to show)\n" }
            return PrettyJSON(colored: colored).render(times.displaying(result)) + "\n"
        case .failure(let failure):
            var text = "line \(record.line): "
            if let op = record.op { text += "\(op): " }
            text += TerminalText.escaped(failure.summary)
            return (colored ? "\u{1B}[31m" + text + "\u{1B}[0m" : text) + "\n"
        }
    }
}

/// Indented JSON with sorted keys, coloured like jq when asked; control characters in strings are escaped
/// (``TerminalText``), so the text is safe on a terminal.
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
        case .integer, .double, .bigInteger: output += paint(value.encodedString(), "36")
        case .string: output += paint(TerminalText.escaped(value.encodedString()), "32")
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
                output += pad + paint(TerminalText.escaped(JSONValue.string(key).encodedString()), "34;1") + ": "
                write(members[key]!, indent: indent + 1, into: &output)
                output += index == keys.count - 1 ? "\n" : ",\n"
            }
            output += closing + "}"
        }
    }
}
