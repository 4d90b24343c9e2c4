import IntercomKit

/// Reads filter tokens into a query: `or` of `and`s of comparisons and parenthesised groups; filters side by side
/// are joined by `and`. Groups stay as written: `(a and b) and (c and d)` is a group of two groups, so that the
/// API's limit on a group's members applies to each group as the user wrote it.
struct SearchFilterParser {
    var tokens: [SearchFilterToken]
    var position = 0

    /// The whole filter; every token must be used.
    mutating func parseAll() throws(InputError) -> SearchQuery {
        guard !tokens.isEmpty else { throw InputError("search users needs a filter, such as email ~ example.com") }
        let query = try parseOr()
        if position < tokens.count { throw InputError("unexpected ) in the filter", column: column(of: tokens[position])) }
        return query
    }

    private mutating func parseOr() throws(InputError) -> SearchQuery {
        var members = [try parseAnd()]
        while case .connective(.or, _)? = peek {
            position += 1
            members.append(try parseAnd())
        }
        return Self.joined(.or, members)
    }

    private mutating func parseAnd() throws(InputError) -> SearchQuery {
        var members = [try parseFactor()]
        while let next = peek, Self.continuesAnd(next) {
            if case .connective(.and, _) = next { position += 1 }
            members.append(try parseFactor())
        }
        return Self.joined(.and, members)
    }

    /// Whether `token` goes on an `and`: the word itself, or a comparison or group right after the last one.
    private static func continuesAnd(_ token: SearchFilterToken) -> Bool {
        switch token {
        case .connective(.and, _), .comparison, .open: true
        default: false
        }
    }

    private mutating func parseFactor() throws(InputError) -> SearchQuery {
        guard let token = peek else { throw InputError("the filter ends where a comparison should follow") }
        position += 1
        switch token {
        case .comparison(let field, let op, let value, _):
            return .filter(field: field, operator: op, value: value)
        case .open(let column):
            let inner = try parseOr()
            guard case .close? = peek else { throw InputError("( is not closed", column: column) }
            position += 1
            return inner
        case .close(let column), .connective(_, let column):
            throw InputError("a comparison should come here", column: column)
        }
    }

    private var peek: SearchFilterToken? { position < tokens.count ? tokens[position] : nil }

    private func column(of token: SearchFilterToken) -> Int {
        switch token {
        case .open(let column), .close(let column), .connective(_, let column), .comparison(_, _, _, let column): column
        }
    }

    /// One member alone, or a group of the members.
    static func joined(_ connective: SearchConnective, _ members: [SearchQuery]) -> SearchQuery {
        members.count > 1 ? .group(connective, members) : members[0]
    }
}
