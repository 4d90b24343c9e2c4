/// How a table fits a terminal's width, as psql's `\x auto` decides: columns as wide as their cells when that fits;
/// else the widest columns shrink (their text cut with `…`) down to a floor; and when even the floors do not fit,
/// the expanded view, one `key  value` line per field. A pure decision over the columns' natural widths.
public enum TableLayout: Sendable, Hashable {
    /// Columns of these widths, two spaces apart.
    case columns([Int])
    /// One `key  value` line per field, a record at a time.
    case expanded

    /// The narrowest a shrunk column gets: its own width when smaller, else enough for a short word and `…`.
    static let floor = 8

    /// The layout of columns whose cells need `natural` widths, in `width` terminal columns (the last left free);
    /// a column shrinks no further than its `floors` width (by default ``floor``, or its own when smaller).
    public static func fit(natural: [Int], width: Int, floors: [Int]? = nil) -> TableLayout {
        let room = width - 1 - 2 * max(0, natural.count - 1)
        guard natural.reduce(0, +) > room else { return .columns(natural) }
        let floors = floors.map { zip(natural, $0).map { min($0, $1) } } ?? natural.map { min($0, floor) }
        // Columns allowed below the usual floor (empty in every row) give way first, down to theirs.
        let shrunk = zip(natural, floors).map { $1 < floor ? $1 : $0 }
        guard floors.reduce(0, +) <= room else { return .expanded }
        // The largest cap under which the columns fit: each column min(natural, cap), never below its floor.
        var low = floor
        var high = shrunk.max() ?? floor
        while low < high {
            let cap = (low + high + 1) / 2
            if zip(shrunk, floors).map({ max($1, min($0, cap)) }).reduce(0, +) <= room { low = cap } else { high = cap - 1 }
        }
        var widths = zip(shrunk, floors).map { max($1, min($0, low)) }
        // What is left goes a column at a time to those still cut, from the left.
        var left = room - widths.reduce(0, +)
        for index in widths.indices where left > 0 && widths[index] < natural[index] {
            widths[index] += 1
            left -= 1
        }
        return .columns(widths)
    }

    /// `text` in at most `width` terminal columns: cut with `…` when wider (``TerminalText/cut(_:to:)``).
    public static func cut(_ text: String, to width: Int) -> String {
        TerminalText.cut(text, to: width)
    }

    /// One record in the expanded view: a `-[ RECORD n ]-` rule (none without a number), then each column's name
    /// padded to the longest and its value, cut to the width.
    public static func expandedRecord(_ number: Int?, columns: [String], cells: [String], width: Int?) -> String {
        let keyWidth = columns.map { TerminalText.width($0) }.max() ?? 0
        var lines: [String] = []
        if let number {
            let title = "-[ RECORD \(number) ]"
            let ruleLength = max(title.count + 1, min(width.map { $0 - 1 } ?? 40, keyWidth + 2 + (cells.map { TerminalText.width($0) }.max() ?? 0)))
            lines.append(title + String(repeating: "-", count: max(1, ruleLength - title.count)))
        }
        for (column, cell) in zip(columns, cells) {
            let key = TerminalText.padded(column, to: keyWidth)
            let room = width.map { max(1, $0 - 1 - keyWidth - 2) }
            lines.append(key + "  " + (room.map { cut(cell, to: $0) } ?? cell))
        }
        return lines.joined(separator: "\n")
    }
}
