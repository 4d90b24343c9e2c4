import Foundation
public import IntercomKit

/// Results as CSV (RFC 4180): one row per item of a list result (or per object result), under one header.
///
/// - Columns: `fields` when given (dotted paths, `location.city`); else the flattened members of the first result's
///   items, nested objects as dotted names, in the order they come, then `_more`.
/// - `_more` keeps what a later item has beyond the header, as a JSON object of its flattened members (empty when
///   nothing), so no field is dropped and the header never changes mid-file.
/// - Cells: text as it is, numbers and booleans as JSON, null and missing as empty, arrays as JSON, times as
///   `times` shows them (ISO 8601 unless `--time epoch`).
/// - Quoting: a cell holding a comma, a quote, CR or LF is quoted, its quotes doubled; rows end with CRLF.
/// - Formula guard: a text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so a spreadsheet shows
///   it instead of running it (CSV injection); numbers are left alone.
public struct CSVTable: Sendable {
    /// The columns, once the first result has fixed them.
    public private(set) var columns: [String]? {
        didSet { layout = columns.map { Layout($0, fields: fields) } }
    }
    private var layout: Layout?
    private let fields: [String]?
    private let times: TimeFormatter

    /// What writing a row needs of the header, worked out once: where each flattened name goes, the path of each
    /// `--fields` column, which columns hold times, and where `_more` is.
    private struct Layout: Sendable {
        var index: [String: Int] = [:]
        var paths: [[String]] = []
        var holdsTime: [Bool]
        var more: Int?

        init(_ columns: [String], fields: [String]?) {
            for (position, column) in columns.enumerated() where index[column] == nil { index[column] = position }
            if fields != nil { paths = columns.map { $0.split(separator: ".").map(String.init) } }
            holdsTime = columns.map { TimeFormatter.isTimeKey($0.split(separator: ".").last ?? "") }
            more = fields == nil ? columns.firstIndex(of: CSVTable.moreColumn) : nil
        }
    }

    /// A table whose columns are `fields`, or (nil) those of the first result; times shown by `times`.
    public init(fields: [String]? = nil, times: TimeFormatter = TimeFormatter(display: .utc)) {
        self.fields = fields
        self.times = times
    }

    /// Goes on under a header already written (by an earlier run): its `columns`, or nil when none was written.
    public mutating func resume(columns: [String]?) {
        self.columns = columns
    }

    /// The name of the column that keeps members beyond the header.
    public static let moreColumn = "_more"

    /// Appends the rows of `result` (the header first, for the first result) to `output`.
    public mutating func append(_ result: JSONValue, into output: inout [UInt8]) {
        let items = Self.items(of: result)
        guard !items.isEmpty else { return }
        if columns == nil {
            let header = fields ?? Self.keys(in: items.map { Self.flatten($0).map(\.key) }) + [Self.moreColumn]
            columns = header
            for (position, name) in header.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                Self.appendField(name, guarded: true, into: &output)
            }
            output.append(contentsOf: [13, 10])
        }
        guard let layout else { return }
        for item in items { appendRow(cells(of: item, layout), layout, into: &output) }
    }

    /// The cells of `item` under the header: its members at the `--fields` paths, or its flattened members, those
    /// beyond the header gathered in `_more`.
    private func cells(of item: JSONValue, _ layout: Layout) -> [JSONValue] {
        if fields != nil {
            return layout.paths.map { path in path.reduce(item as JSONValue?) { $0?.objectValue?[$1] } ?? .null }
        }
        var cells = [JSONValue](repeating: .null, count: layout.holdsTime.count)
        var extra: JSONObject = [:]
        for (key, value) in Self.flatten(item) {
            if let position = layout.index[key] { cells[position] = value } else { extra[key] = value }
        }
        if let more = layout.more, !extra.isEmpty { cells[more] = .string(JSONValue.object(extra).encodedString()) }
        return cells
    }

    /// One CSV line of `cells`.
    private func appendRow(_ cells: [JSONValue], _ layout: Layout, into output: inout [UInt8]) {
        for (position, cell) in cells.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            if layout.holdsTime[position], let time = times.text(ofTime: cell) {
                Self.appendField(time, guarded: false, into: &output)
                continue
            }
            switch cell {
            case .null: break
            case .string(let text): Self.appendField(text, guarded: true, into: &output)
            case .array, .object: Self.appendField(cell.encodedString(), guarded: true, into: &output)
            default: Self.appendField(cell.encodedString(), guarded: false, into: &output)
            }
        }
        output.append(contentsOf: [13, 10])
    }

    /// The items of a list result (its list member, as the table view finds it), or the result itself.
    static func items(of result: JSONValue) -> [JSONValue] {
        guard case .object = result else { return [] }
        for name in TableKind.listNames {
            if let list = result[name]?.arrayValue, list.allSatisfy({ $0.objectValue != nil }) { return list }
        }
        return [result]
    }

    /// An object's members with nested objects flattened to dotted names; arrays, scalars and empty objects as
    /// they are.
    static func flatten(_ item: JSONValue) -> [(key: String, value: JSONValue)] {
        var flat: [(key: String, value: JSONValue)] = []
        func walk(_ value: JSONValue, _ prefix: String) {
            guard case .object(let members) = value, prefix.isEmpty || !members.isEmpty else {
                flat.append((prefix, value))
                return
            }
            for (key, member) in members { walk(member, prefix.isEmpty ? key : prefix + "." + key) }
        }
        walk(item, "")
        return flat
    }

    /// The flattened keys of the items, sorted, the id first.
    static func keys(in items: [[String]]) -> [String] {
        let keys = Set(items.joined()).sorted()
        return keys.filter { $0 == "id" } + keys.filter { $0 != "id" }
    }

    /// Appends one field: quoted when it holds a comma, a quote, CR or LF (its quotes doubled, RFC 4180), and when
    /// `guarded`, made inert for a spreadsheet with a leading `'` when it starts with `=`, `+`, `-`, `@`, tab or CR.
    static func appendField(_ text: String, guarded: Bool, into output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            let quote = UInt8(ascii: "\"")
            let formula = guarded && bytes.first.map { [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13].contains($0) } ?? false
            let quoted = bytes.contains { $0 == UInt8(ascii: ",") || $0 == quote || $0 == 13 || $0 == 10 }
            if quoted { output.append(quote) }
            if formula { output.append(UInt8(ascii: "'")) }
            if quoted {
                for byte in bytes {
                    output.append(byte)
                    if byte == quote { output.append(quote) }
                }
                output.append(quote)
            } else {
                output.append(contentsOf: bytes)
            }
        }
    }
}
