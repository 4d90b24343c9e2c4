import IntercomKit

/// The kinds of object a table knows, each with the columns it shows (those an item has).
enum TableKind {
    case user, tag, thread, conversation, conversationPart, note, event, admin, company, segment, attribute

    /// The members that hold the items of a list result, v1's and 2.x's.
    static let listNames = ["users", "contacts", "tags", "threads", "conversations", "notes", "events", "admins", "companies", "segments", "data"]

    init?(items: [JSONValue], listName: String?) {
        guard let first = items.first else {
            guard let kind = listName.flatMap(Self.init(listName:)) else { return nil }
            self = kind
            return
        }
        if let kind = Self(type: first["type"]?.stringValue) ?? listName.flatMap(Self.init(listName:)) ?? Self(shapeOf: first) {
            self = kind
        } else {
            return nil
        }
    }

    /// By 2.x's `type` member.
    init?(type: String?) {
        switch type {
        case "contact"?, "user"?: self = .user
        case "tag"?: self = .tag
        case "conversation"?: self = .conversation
        case "conversation_part"?: self = .conversationPart
        case "note"?: self = .note
        case "event"?: self = .event
        case "admin"?: self = .admin
        case "company"?: self = .company
        case "segment"?: self = .segment
        case "data_attribute"?: self = .attribute
        default: return nil
        }
    }

    /// By the name of the list member.
    init?(listName: String) {
        switch listName {
        case "users", "contacts": self = .user
        case "tags": self = .tag
        case "threads": self = .thread
        case "conversations": self = .conversation
        case "notes": self = .note
        case "events": self = .event
        case "admins": self = .admin
        case "companies": self = .company
        case "segments": self = .segment
        default: return nil
        }
    }

    /// By v1's members, which have no `type`.
    init?(shapeOf item: JSONValue) {
        if item["intercom_id"] != nil { self = .user }
        else if item["tagged_user_count"] != nil { self = .tag }
        else if item["thread_id"] != nil { self = .thread }
        else if item["html"] != nil && item["user"] != nil { self = .note }
        else if item["event_name"] != nil { self = .event }
        else { return nil }
    }

    /// The columns, v1's and 2.x's members together; a table keeps those its items have.
    var columns: [String] {
        switch self {
        case .user:
            return ["id", "user_id", "external_id", "email", "name", "role", "created_at", "last_impression_at", "last_seen_at", "session_count"]
        case .tag: return ["id", "name", "tagged_user_count", "applied_at"]
        case .thread: return ["thread_id", "read", "messages", "created_at", "updated_at"]
        case .conversation:
            return ["id", "state", "read", "admin_assignee_id", "team_assignee_id", "source.author.email", "source.subject", "title", "created_at", "updated_at"]
        case .conversationPart: return ["id", "part_type", "author.type", "author.name", "created_at", "body"]
        case .note: return ["id", "created_at", "user.email", "author.name", "html", "body"]
        case .event: return ["event_name", "name", "count", "created_at", "first", "last", "user_id", "email", "id"]
        case .attribute: return ["id", "model", "name", "data_type", "archived", "description"]
        case .segment: return ["id", "name", "person_type", "count", "created_at"]
        case .company: return ["id", "company_id", "name", "plan.name", "user_count", "size", "created_at"]
        case .admin: return ["id", "name", "email", "job_title", "away_mode_enabled", "has_inbox_seat", "app.name"]
        }
    }
}
