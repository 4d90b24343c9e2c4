public import IntercomKit

/// Values seen in this session's results, offered by completion: emails, user_ids, tag names, thread ids,
/// custom_data keys, and on the REST API (2.x) company ids, conversation ids and admin names. Completion never asks
/// the server.
public struct KnownValues: Sendable, Hashable {
    /// Emails seen.
    public var emails: Set<String> = []
    /// user_ids seen.
    public var userIDs: Set<String> = []
    /// Tag names seen.
    public var tagNames: Set<String> = []
    /// Thread ids seen.
    public var threadIDs: Set<String> = []
    /// custom_data keys seen.
    public var customDataKeys: Set<String> = []
    /// Companies' `company_id`s seen.
    public var companyIDs: Set<String> = []
    /// Conversation ids seen.
    public var conversationIDs: Set<String> = []
    /// Admins' names seen.
    public var adminNames: Set<String> = []

    /// Nothing known yet.
    public init() {}

    /// Learns from one result (a user, a page of users, a note, a tag, a thread or a list of threads).
    public mutating func learn(from result: JSONValue, limit: Int = 10_000) {
        switch result {
        case .array(let items):
            for item in items.prefix(limit) { learn(from: item, limit: limit) }
        case .object(let object):
            for list in ["users", "contacts", "data", "conversations", "admins", "companies"] {
                for item in object[list]?.arrayValue?.prefix(limit) ?? [] { learn(from: item, limit: limit) }
            }
            learnTyped(object, limit: limit)
            if let user = object["user"] { learn(from: user, limit: limit) }
            if object["intercom_id"] != nil || object["custom_data"] != nil {
                if let email = object["email"]?.stringValue, emails.count < limit { emails.insert(email) }
                if let userID = object["user_id"]?.stringValue, userIDs.count < limit { userIDs.insert(userID) }
                for key in object["custom_data"]?.objectValue?.keys ?? [:].keys { customDataKeys.insert(key) }
            }
            if object["tagged_user_count"] != nil, let name = object["name"]?.stringValue { tagNames.insert(name) }
            if let threadID = object["thread_id"]?.integerValue { threadIDs.insert(String(threadID)) }
            for message in object["messages"]?.arrayValue ?? [] {
                if let email = message["from"]?["email"]?.stringValue { emails.insert(email) }
            }
        default:
            break
        }
    }

    /// Learns from a 2.x object by its `type`: a contact's email and external_id, a tag's name, a company's
    /// company_id, a conversation's id, an admin's name.
    private mutating func learnTyped(_ object: JSONObject, limit: Int) {
        func insert(_ value: JSONValue?, into set: inout Set<String>) {
            guard let text = value?.stringValue, !text.isEmpty, set.count < limit else { return }
            set.insert(text)
        }
        switch object["type"]?.stringValue {
        case "contact"?:
            insert(object["email"], into: &emails)
            insert(object["external_id"], into: &userIDs)
        case "tag"?: insert(object["name"], into: &tagNames)
        case "company"?: insert(object["company_id"], into: &companyIDs)
        case "conversation"?: insert(object["id"], into: &conversationIDs)
        case "admin"?: insert(object["name"], into: &adminNames)
        default: break
        }
    }

    /// Learns from the parameters of an operation the user ran (tag names, identifiers typed by hand).
    public mutating func learn(from operation: Operation) {
        if let email = operation.parameters["email"]?.stringValue { emails.insert(email) }
        if let userID = operation.parameters["user_id"]?.stringValue { userIDs.insert(userID) }
        if [.createTag, .updateTag, .getTag].contains(operation.name), let name = operation.parameters["name"]?.stringValue {
            tagNames.insert(name)
        }
        for key in operation.parameters["custom_data"]?.objectValue?.keys ?? [:].keys { customDataKeys.insert(key) }
    }
}
