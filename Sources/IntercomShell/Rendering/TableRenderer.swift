public import IntercomKit

/// Users, tags and threads as aligned columns (`set output table`); `nil` for other results.
public enum TableRenderer {
    /// The table for `result`, or `nil` when it is not a user, users, a tag or threads.
    public static func table(for result: JSONValue) -> String? {
        if let users = result["users"]?.arrayValue {
            return render(users, columns: userColumns) + pageFooter(result)
        }
        if result["intercom_id"] != nil { return render([result], columns: userColumns) }
        if result["tagged_user_count"] != nil { return render([result], columns: ["id", "name", "tagged_user_count"]) }
        if result["thread_id"] != nil { return render([result], columns: threadColumns) }
        if let items = result.arrayValue, items.allSatisfy({ $0["thread_id"] != nil }) {
            return render(items, columns: threadColumns)
        }
        return nil
    }

    static let userColumns = ["user_id", "email", "name", "created_at", "last_impression_at", "session_count"]
    static let threadColumns = ["thread_id", "read", "messages", "created_at", "updated_at"]

    static func cell(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let text)?: return text
        case .array(let items)?: return String(items.count)
        case let other?: return other.encodedString()
        }
    }

    static func render(_ rows: [JSONValue], columns: [String]) -> String {
        let cells = rows.map { row in columns.map { cell(row[$0]) } }
        let widths = columns.indices.map { index in max(columns[index].count, cells.map { $0[index].count }.max() ?? 0) }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
                .trimmingTrailingSpaces
        }
        return ([line(columns), line(widths.map { String(repeating: "-", count: $0) })] + cells.map(line)).joined(separator: "\n")
    }

    static func pageFooter(_ result: JSONValue) -> String {
        guard let page = result["page"]?.integerValue, let pages = result["total_pages"]?.integerValue,
            let total = result["total_count"]?.integerValue
        else { return "" }
        return "\n(page \(page) of \(pages), \(total) users)"
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
