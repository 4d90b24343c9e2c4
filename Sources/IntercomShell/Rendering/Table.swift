public import IntercomKit

/// A result as aligned columns: every list result (users and contacts, tags, threads and conversations, notes,
/// events) and the single objects of those kinds. Other results have no table and are shown pretty.
public struct Table: Sendable, Hashable {
    /// The column names: member names, dotted for nested ones (`user.email`).
    public var columns: [String]
    /// One row of cell texts per item, as many cells as columns.
    public var rows: [[String]]
    /// A line under the rows (`(page 1 of 3, 120 users)`), when the result says where it is in a longer list.
    public var footer: String?
    /// Whether the result is one object rather than a list (a terminal shows it expanded).
    public var isSingleObject = false

    /// The longest a cell may be; longer text is cut and ends with `…`.
    public static let maximumCellLength = 48

    /// The table of `result`, times shown by `times`, or `nil` when the result is not a list or a known object. With
    /// `fields`, those are the columns (dotted for nested members), for any list or object.
    public init?(_ result: JSONValue, times: TimeFormatter, fields: [String]? = nil) {
        guard let (items, listName) = Self.items(of: result) else { return nil }
        let columns: [String]
        if let fields, !fields.isEmpty {
            guard items.allSatisfy({ $0.objectValue != nil }) else { return nil }
            columns = fields
        } else {
            guard let kind = TableKind(items: items, listName: listName) else { return nil }
            let candidates = kind.columns
            // A column is shown when any item has its member (even as null), so items of one API version line up.
            let present = candidates.filter { column in items.contains { Self.member(column, of: $0) != nil } }
            columns = present.isEmpty ? [candidates[0]] : present
        }
        self.columns = columns
        rows = items.map { item in columns.map { Self.cell(Self.member($0, of: item), column: $0, times: times) } }
        footer = Self.footer(of: result, count: items.count, listName: listName)
        isSingleObject = listName == nil && result.objectValue != nil
    }

    /// The items of a list result and the name of the member holding them, or a single object as one item.
    static func items(of result: JSONValue) -> ([JSONValue], String?)? {
        switch result {
        case .array(let items) where !items.isEmpty && items.allSatisfy({ $0.objectValue != nil }):
            return (items, nil)
        case .object(let members) where members["type"] == "conversation" && members["conversation_parts"] != nil:
            guard case .object(var source)? = members["source"] else { return ([result], nil) }
            source["type"] = "conversation_part"
            source["part_type"] = "source"
            source["created_at"] = source["created_at"] ?? members["created_at"]
            let parts = members["conversation_parts"]?["conversation_parts"]?.arrayValue ?? []
            return ([.object(source)] + parts, "conversation_parts")
        case .object(let members):
            for name in TableKind.listNames {
                if case .array(let items)? = members[name], items.allSatisfy({ $0.objectValue != nil }) { return (items, name) }
            }
            return ([result], nil)
        default:
            return nil
        }
    }

    /// The value at a dotted column path.
    static func member(_ column: String, of item: JSONValue) -> JSONValue? {
        var value: JSONValue? = item
        for part in column.split(separator: ".") { value = value?.objectValue?[String(part)] }
        return value
    }

    /// A cell's text: strings on one line without control characters, arrays as their length, times by `times`.
    static func cell(_ value: JSONValue?, column: String, times: TimeFormatter) -> String {
        let key = column.split(separator: ".").last ?? ""
        if let value, let time = times.text(of: value, key: key) { return time }
        let text: String
        switch value {
        case nil, .null?: return ""
        case .string(let string)?: text = string
        case .array(let items)?: return String(items.count)
        case let other?: text = other.encodedString()
        }
        let flat = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        guard flat.count > maximumCellLength else { return flat }
        return SecretRedaction.cut(flat, to: maximumCellLength - 1) + "…"
    }

    /// Where a page sits in the whole list: v1's `page`/`total_pages`, 2.x's `pages`, and `total_count`.
    static func footer(of result: JSONValue, count: Int, listName: String?) -> String? {
        guard let listName else { return nil }
        if listName == "conversation_parts" {
            let id = result["id"]?.stringValue ?? ""
            let assignee = result["admin_assignee_id"]?.integerValue.flatMap { $0 == 0 ? nil : ", assigned to admin \($0)" } ?? ""
            return "(conversation \(id), \(result["state"]?.stringValue ?? "open")\(assignee), \(count - 1) parts after its source)"
        }
        let page = result["page"]?.integerValue ?? result["pages"]?["page"]?.integerValue
        let pages = result["total_pages"]?.integerValue ?? result["pages"]?["total_pages"]?.integerValue
        let total = result["total_count"]?.integerValue ?? Int64(count)
        let plural = listName == "data" ? "items" : listName
        let noun = total == 1 ? Self.singular(plural) : plural
        guard let page, let pages else { return "(\(total) \(noun))" }
        return "(page \(page) of \(pages), \(total) \(noun))"
    }

    /// One of a list's items, named from the list's plural (`companies` → `company`, `users` → `user`).
    static func singular(_ plural: String) -> String {
        if plural.hasSuffix("ies") { return plural.dropLast(3) + "y" }
        return plural.hasSuffix("s") ? String(plural.dropLast()) : plural
    }

    /// The table as aligned text: header, rule, rows and footer, without a final newline.
    public var text: String { text(layout: .columns(Self.widths(columns: columns, rows: rows)), width: nil) }

    /// The table laid out for a terminal `width` columns wide (``TableLayout``): columns shrunk to fit, or expanded
    /// when they cannot, and a single object always expanded, without its record rule.
    public func text(width: Int) -> String {
        if isSingleObject, let row = rows.first { return TableLayout.expandedRecord(nil, columns: columns, cells: row, width: width) }
        return text(layout: TableLayout.fit(natural: Self.widths(columns: columns, rows: rows), width: width, floors: floors()), width: width)
    }

    /// The rows in `layout`, numbered from `first` when expanded, and the footer.
    func text(layout: TableLayout, width: Int?, first: Int = 1) -> String {
        let body: [String]
        switch layout {
        case .columns(let widths):
            body = [Self.line(columns, widths: widths), Self.rule(widths)] + rows.map { Self.line($0, widths: widths) }
        case .expanded:
            body = rows.enumerated().map { TableLayout.expandedRecord(first + $0.offset, columns: columns, cells: $0.element, width: width) }
        }
        return (body + (footer.map { [$0] } ?? [])).joined(separator: "\n")
    }

    /// How narrow each column may get when the table must shrink: ids and emails whole (up to 36), so they can be
    /// copied; a column empty in every row down to 4; any other down to ``TableLayout/floor``.
    func floors() -> [Int] {
        columns.indices.map { index in
            let name = columns[index].split(separator: ".").last.map(String.init) ?? columns[index]
            if rows.allSatisfy({ $0[index].isEmpty }) { return 4 }
            if name == "id" || name.hasSuffix("_id") || name == "email" { return 36 }
            return TableLayout.floor
        }
    }

    /// The width of each column: its longest cell or its name.
    static func widths(columns: [String], rows: [[String]]) -> [Int] {
        columns.indices.map { index in rows.reduce(TerminalText.width(columns[index])) { max($0, TerminalText.width($1[index])) } }
    }

    /// The widths of a table whose later rows may come one by one (`users all`): a one-row table gets room for
    /// the usual length of a text column, so that most later rows line up under it.
    static func streamingWidths(_ table: Table) -> [Int] {
        let widths = widths(columns: table.columns, rows: table.rows)
        guard table.rows.count == 1 else { return widths }
        return zip(widths, table.columns).map { width, column in max(width, usualWidths[column] ?? 0) }
    }

    /// The usual width of text columns, for ``streamingWidths(_:)``.
    static let usualWidths = [
        "id": 24, "user_id": 10, "external_id": 10, "email": 28, "name": 20, "html": 30, "body": 30, "title": 24,
        "event_name": 16, "user.email": 28, "author.name": 20,
    ]

    /// The cells padded to `widths` (cut with `…` when longer), two spaces apart, without trailing spaces.
    static func line(_ cells: [String], widths: [Int]) -> String {
        var text = zip(cells, widths).map { cell, width in
            TerminalText.padded(TableLayout.cut(cell, to: width), to: width)
        }.joined(separator: "  ")
        while text.last == " " { text.removeLast() }
        return text
    }

    /// The dashes under the header.
    static func rule(_ widths: [Int]) -> String {
        widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    }
}
