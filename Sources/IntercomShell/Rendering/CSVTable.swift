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
    public private(set) var columns: [String]?
    private let fields: [String]?
    private let times: TimeFormatter

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
        let flattened = items.map(Self.flatten)
        if columns == nil {
            let header = fields ?? Self.keys(in: flattened) + [Self.moreColumn]
            columns = header
            Self.write(header.map { .string($0) }, keys: header.map { _ in "" }, times: times, into: &output)
        }
        let header = columns ?? []
        for members in flattened {
            var cells = header.map { members[$0] ?? .null }
            if fields == nil, let more = header.firstIndex(of: Self.moreColumn) {
                let known = Set(header)
                let extra = members.filter { !known.contains($0.key) }
                cells[more] = extra.isEmpty ? .null : .string(JSONValue.object(extra).encodedString())
            }
            Self.write(cells, keys: header, times: times, into: &output)
        }
    }

    /// The items of a list result (its list member, as the table view finds it), or the result itself.
    static func items(of result: JSONValue) -> [JSONValue] {
        guard case .object = result else { return [] }
        for name in TableKind.listNames {
            if let list = result[name]?.arrayValue, list.allSatisfy({ $0.objectValue != nil }) { return list }
        }
        return [result]
    }

    /// An object's members with nested objects flattened to dotted names, in order; arrays and scalars as they are.
    static func flatten(_ item: JSONValue) -> JSONObject {
        var flat: JSONObject = [:]
        func walk(_ value: JSONValue, _ prefix: String) {
            guard case .object(let members) = value, prefix.isEmpty || !members.isEmpty else {
                flat[prefix] = value
                return
            }
            for (key, member) in members { walk(member, prefix.isEmpty ? key : prefix + "." + key) }
        }
        walk(item, "")
        return flat
    }

    /// The flattened keys of `items`, sorted, the id first.
    static func keys(in items: [JSONObject]) -> [String] {
        let keys = Set(items.flatMap(\.keys)).sorted()
        return keys.filter { $0 == "id" } + keys.filter { $0 != "id" }
    }

    /// One CSV line of `cells` (each under the column in `keys`, whose last part says whether it holds a time).
    static func write(_ cells: [JSONValue], keys: [String], times: TimeFormatter, into output: inout [UInt8]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            let key = keys[index].split(separator: ".").last ?? ""
            output.append(contentsOf: quoted(text(of: cell, key: key, times: times)).utf8)
        }
        output.append(contentsOf: [13, 10])
    }

    /// A cell's text before quoting: the formula guard applied to text.
    static func text(of cell: JSONValue, key: Substring, times: TimeFormatter) -> String {
        if let time = times.text(of: cell, key: key) { return time }
        switch cell {
        case .null: return ""
        case .string(let text): return guarded(text)
        case .array, .object: return guarded(cell.encodedString())
        default: return cell.encodedString()
        }
    }

    /// `text` made inert for a spreadsheet: a leading `'` when it starts with `=`, `+`, `-`, `@`, tab or CR.
    static func guarded(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    /// `text` quoted when it holds a comma, a quote, CR or LF (RFC 4180).
    static func quoted(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
