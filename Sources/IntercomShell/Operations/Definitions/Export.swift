import IntercomKit

extension OperationName {
    /// Every contact, or those updated in a window or matching a filter, one record each (REST API 2.x only).
    public static let exportContacts = OperationName(rawValue: "export_contacts")
    /// Every company, or those updated in a window, one record each (REST API 2.x only).
    public static let exportCompanies = OperationName(rawValue: "export_companies")
    /// Every conversation with its parts, or those updated in a window or matching a filter (REST API 2.x only).
    public static let exportConversations = OperationName(rawValue: "export_conversations")
}

/// Exports: every item of a kind, written out as it comes (`intercom-sh export`, or these commands in any input).
enum ExportDefinitions {
    static let all: [OperationDefinition] = [exportContacts, exportCompanies, exportConversations]

    static let window = [ParameterSpec("since", .timestamp), ParameterSpec("until", .timestamp)]
    static let windowDetail = "since= and until= (a date or Unix seconds) keep the items updated at or after since and before until."

    static let exportContacts = OperationDefinition(
        name: .exportContacts, parameters: window + [ParameterSpec("query", .searchQuery(.contacts))], effect: .read, yieldsItems: true,
        ordering: .everything,
        commands: [
            CommandSpec(
                words: ["export", "contacts"], operation: .exportContacts, positionals: .searchFilter(.contacts),
                usage: "export contacts [since=<date>] [until=<date>] [<filter…>]",
                summary: "Write out every contact, or those updated in a window or matching a filter, one record each (REST API 2.x only).",
                example: "export contacts since=2026-11-01 role = user", group: "Export",
                details: [windowDetail, "The filter is that of search users; without one or a window, every contact is listed."])
        ],
        v1: nil,
        rest: { operation, p, _ throws(ResultRecord.Failure) in
            .export(try goal(.contacts, operation, p, query: try query(p)))
        })

    static let exportCompanies = OperationDefinition(
        name: .exportCompanies, parameters: window, effect: .read, yieldsItems: true, ordering: .everything,
        commands: [
            CommandSpec(
                words: ["export", "companies"], operation: .exportCompanies, positionals: .none,
                usage: "export companies [since=<date>] [until=<date>]",
                summary: "Write out every company through the scroll API, or those updated in a window, one record each (REST API 2.x only).",
                example: "export companies since=2026-11-01", group: "Export", details: [windowDetail])
        ],
        v1: nil,
        rest: { operation, p, _ throws(ResultRecord.Failure) in .export(try goal(.companies, operation, p, query: nil)) })

    static let exportConversations = OperationDefinition(
        name: .exportConversations, parameters: window + [ParameterSpec("query", .searchQuery(.conversations))], effect: .read,
        yieldsItems: true, ordering: .everything,
        commands: [
            CommandSpec(
                words: ["export", "conversations"], operation: .exportConversations, positionals: .searchFilter(.conversations),
                usage: "export conversations [since=<date>] [until=<date>] [<filter…>]",
                summary: "Write out every conversation with its parts, or those updated in a window or matching a filter (REST API 2.x only).",
                example: "export conversations since=2026-11-01 state = closed", group: "Export",
                details: [
                    windowDetail, "The filter is that of conversations search. The conversations of each page are fetched at once,",
                    "as many in flight as the run's concurrency allows, and written in the order listed.",
                ])
        ],
        v1: nil,
        rest: { operation, p, _ throws(ResultRecord.Failure) in
            .export(try goal(.conversations, operation, p, query: try query(p)))
        })

    /// The search query the line gives, if any.
    static func query(_ p: CheckedParameters) throws(ResultRecord.Failure) -> SearchQuery? {
        guard let json = p.values["query"] else { return nil }
        do throws(SearchQueryError) { return try SearchQuery(json: json) } catch { throw .invalidInput(error.message) }
    }

    /// The goal of an export of `kind`, its window checked. A bound with a fraction of a second counts as the next
    /// whole second, so that `since <= updated_at < until` keeps exactly the items it says.
    static func goal(
        _ kind: ExportGoal.Kind, _ operation: Operation, _ p: CheckedParameters, query: SearchQuery?
    ) throws(ResultRecord.Failure) -> ExportGoal {
        func bound(_ key: String) -> Int64? {
            switch operation.parameters[key] {
            case .string(let text)?: TimeInput.unixSeconds(from: text, roundingUp: true) ?? p.int64(key)
            case .double(let seconds)? where seconds.isFinite && abs(seconds) < 9.2e15: Int64(seconds.rounded(.up))
            default: p.int64(key)
            }
        }
        let (since, until) = (bound("since"), bound("until"))
        if let since, let until, since >= until { throw .invalidInput("since (\(since)) must come before until (\(until))") }
        return ExportGoal(kind, since: since, until: until, query: query)
    }
}
