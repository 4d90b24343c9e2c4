/// The operations of the interpreter: one per python-intercom 0.2.13 `Intercom` method, named exactly as the
/// method, plus `all_users` (every page of get_users). create_user and update_user also take the v1 API's
/// `company` and `increments`, which the Ruby and PHP clients of the time sent. `archive_user`, `unarchive_user`,
/// `search_users` and `list_events` exist on the REST API 2.x only.
public enum OperationName: String, Sendable, Hashable, CaseIterable, Codable {
    case getUser = "get_user"
    case getUsers = "get_users"
    case allUsers = "all_users"
    case createUser = "create_user"
    case updateUser = "update_user"
    case deleteUser = "delete_user"
    case createImpression = "create_impression"
    case createNote = "create_note"
    case getMessageThreads = "get_message_threads"
    case createMessageThread = "create_message_thread"
    case replyMessageThread = "reply_message_thread"
    case getTag = "get_tag"
    case createTag = "create_tag"
    case updateTag = "update_tag"
    case createEvent = "create_event"
    case archiveUser = "archive_user"
    case unarchiveUser = "unarchive_user"
    case searchUsers = "search_users"
    case listEvents = "list_events"

    private static let ident = [ParameterSpec("user_id", .identifier), ParameterSpec("email", .string)]
    private static let userFields = ident + [
        ParameterSpec("name", .string), ParameterSpec("created_at", .timestamp), ParameterSpec("custom_data", .flatObject),
        ParameterSpec("last_seen_ip", .string), ParameterSpec("last_seen_user_agent", .string),
        ParameterSpec("companies", .companies), ParameterSpec("last_request_at", .timestamp),
        ParameterSpec("last_impression_at", .timestamp), ParameterSpec("unsubscribed_from_emails", .boolean),
        ParameterSpec("company", .company), ParameterSpec("increments", .increments),
    ]
    private static let tagFields = [
        ParameterSpec("name", .string), ParameterSpec("tag_or_untag", .tagAction),
        ParameterSpec("user_ids", .identifierArray), ParameterSpec("emails", .stringArray),
    ]

    /// The method's keyword arguments, in the order python-intercom documents them.
    public var parameters: [ParameterSpec] {
        switch self {
        case .getUser: return Self.ident + [ParameterSpec("id", .string)]
        case .deleteUser: return Self.ident
        case .getUsers:
            return [ParameterSpec("page", .integer), ParameterSpec("per_page", .integer), ParameterSpec("tag_id", .string), ParameterSpec("tag_name", .string)]
        case .allUsers:
            return [ParameterSpec("per_page", .integer), ParameterSpec("tag_id", .string), ParameterSpec("tag_name", .string)]
        case .createUser, .updateUser: return Self.userFields
        case .createImpression:
            return Self.ident + [ParameterSpec("user_ip", .string), ParameterSpec("user_agent", .string), ParameterSpec("location", .string)]
        case .createNote, .createMessageThread: return Self.ident + [ParameterSpec("body", .string)]
        case .getMessageThreads: return Self.ident + [ParameterSpec("thread_id", .identifier)]
        case .replyMessageThread:
            return Self.ident + [ParameterSpec("thread_id", .identifier), ParameterSpec("body", .string), ParameterSpec("read", .boolean)]
        case .getTag: return [ParameterSpec("name", .string)]
        case .createTag, .updateTag: return Self.tagFields
        case .createEvent:
            return [ParameterSpec("event_name", .string)] + Self.ident + [ParameterSpec("metadata", .metadata), ParameterSpec("created", .timestamp)]
        case .archiveUser, .unarchiveUser: return Self.ident + [ParameterSpec("id", .string)]
        case .searchUsers: return [ParameterSpec("query", .searchQuery), ParameterSpec("per_page", .integer)]
        case .listEvents: return Self.ident
        }
    }

    /// The spec of the parameter called `name`, if the operation has one.
    public func parameter(_ name: String) -> ParameterSpec? {
        parameters.first { $0.name == name }
    }

    /// Whether the operation only reads: repeating it can never change anything.
    public var isReadOnly: Bool {
        switch self {
        case .getUser, .getUsers, .allUsers, .getMessageThreads, .getTag, .searchUsers, .listEvents: return true
        default: return false
        }
    }

    /// Whether the operation exists on the REST API 2.x only (v1 has no counterpart).
    public var isRESTOnly: Bool {
        [.archiveUser, .unarchiveUser, .searchUsers, .listEvents].contains(self)
    }
}
