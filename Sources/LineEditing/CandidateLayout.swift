/// Completion candidates laid out as a shell lists them: in columns down then across, each as wide as the longest
/// candidate plus two spaces, as many columns as fit the width; a candidate is never broken across lines.
public enum CandidateLayout {
    /// The lines of `candidates` in `width` columns.
    public static func text(_ candidates: [String], width: Int) -> String {
        guard !candidates.isEmpty else { return "" }
        let cell = (candidates.map(\.count).max() ?? 0) + 2
        let columns = max(1, min(candidates.count, (width + 2) / cell))
        let rows = (candidates.count + columns - 1) / columns
        var lines: [String] = []
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let index = column * rows + row
                guard index < candidates.count else { break }
                let isLast = column == columns - 1 || index + rows >= candidates.count
                line += candidates[index] + (isLast ? "" : String(repeating: " ", count: cell - candidates[index].count))
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
