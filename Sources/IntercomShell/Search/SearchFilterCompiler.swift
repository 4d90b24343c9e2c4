public import IntercomKit

/// Compiles the readable filter of `search users` and `conversations search` into a search query, checked against
/// the endpoint's ``SearchRules`` before anything is sent.
///
///     email ~ example.com and (role = lead or tag_id = 81)
///     created_at > 2026-11-01 signed_up_at<2026-12-01        adjacent filters are joined by and
///     custom_attributes.plan in pro,team
///
/// A filter is FIELD OP VALUE, apart or in one word; OP is `= != ~ !~ ^ $ < <= > >=`, `in` or `nin` (values
/// separated by commas). `and` binds tighter than `or`; parentheses group. A value takes its field's type: a date as
/// YYYY-MM-DD (midnight UTC) or Unix seconds, a number, true or false; text as written (quoted to keep blanks or to
/// stay text). A custom attribute is checked here by the type read off its value; before the search is sent, its
/// value is converted to the type the workspace's data attributes give it (``SearchRules/typed(_:customAttribute:)``).
public enum SearchFilterCompiler {
    /// The query for `words` (the words after `search users`), under `rules`.
    public static func compile(_ words: [CommandTokenizer.Word], rules: SearchRules = .contacts) throws(InputError) -> SearchQuery {
        var parser = SearchFilterParser(tokens: try SearchFilterLexer.tokens(of: words, rules: rules))
        let query = try parser.parseAll()
        do {
            try rules.check(query, customAttribute: customKinds(in: query))
        } catch {
            throw InputError(error.message, column: words.first?.column)
        }
        return query
    }

    /// The kind of each custom attribute, as its values were typed.
    static func customKinds(in query: SearchQuery) -> (String) -> SearchRules.Kind? {
        var kinds: [String: SearchRules.Kind] = [:]
        for filter in query.filters where filter.field.hasPrefix("custom_attributes.") {
            let name = String(filter.field.dropFirst("custom_attributes.".count))
            let sample = filter.value.arrayValue?.first ?? filter.value
            switch sample {
            case .integer: kinds[name] = .integer
            case .double: kinds[name] = .float
            case .bool: kinds[name] = .boolean
            default: kinds[name] = .string
            }
        }
        return { kinds[$0] }
    }
}

/// A piece of a filter: a parenthesis, a connective or one comparison.
enum SearchFilterToken: Equatable {
    case open(column: Int)
    case close(column: Int)
    case connective(SearchConnective, column: Int)
    case comparison(field: String, operator: SearchOperator, value: JSONValue, column: Int)
}
