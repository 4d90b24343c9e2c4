public import IntercomKit

extension Operation {
    /// Checks every parameter against the operation's schema and builds the request to send.
    ///
    /// `now` gives the `created` time of an event that has none. `all_users` has no single request: ask for
    /// ``allUsersQuery()`` instead.
    /// - Throws: ``InputError`` naming the parameter at fault.
    public func request(now: () -> Int64) throws(InputError) -> IntercomRequest {
        let p = try checkedParameters()
        do {
            switch name {
            case .getUser:
                if p.string("id") != nil { throw InputError("get_user's id (an Intercom contact id) needs the REST API 2.x (--api-version 2.16)") }
                return try .getUser(p.identifier)
            case .getUsers:
                return try .getUsers(page: p.int("page"), perPage: p.int("per_page"), tagID: p.string("tag_id"), tagName: p.string("tag_name"))
            case .allUsers:
                return try .getUsers(page: 1, perPage: p.int("per_page"), tagID: p.string("tag_id"), tagName: p.string("tag_name"))
            case .createUser:
                return try .createUser(p.userAttributes)
            case .updateUser:
                return try .updateUser(p.userAttributes)
            case .deleteUser:
                return try .deleteUser(p.identifier)
            case .createImpression:
                return try .createImpression(for: p.identifier, userIP: p.string("user_ip"), userAgent: p.string("user_agent"), location: p.string("location"))
            case .createNote:
                return try .createNote(for: p.identifier, body: p.required("body"))
            case .getMessageThreads:
                return try .getMessageThreads(for: p.identifier, threadID: p.v1ThreadID())
            case .createMessageThread:
                return try .createMessageThread(for: p.identifier, body: p.required("body"))
            case .replyMessageThread:
                guard let threadID = try p.v1ThreadID() else { throw InputError("reply_message_thread needs thread_id") }
                return try .replyMessageThread(for: p.identifier, threadID: threadID, body: p.string("body"), read: p.bool("read"))
            case .getTag:
                return try .getTag(name: p.required("name"))
            case .createTag:
                return try .createTag(name: p.required("name"), tagOrUntag: p.tagAction, userIDs: p.strings("user_ids"), emails: p.strings("emails"))
            case .updateTag:
                return try .updateTag(name: p.required("name"), tagOrUntag: p.tagAction, userIDs: p.strings("user_ids"), emails: p.strings("emails"))
            case .createEvent:
                return try .createEvent(name: p.required("event_name"), user: p.identifier, created: p.int64("created") ?? now(), metadata: p.object("metadata"))
            case .archiveUser, .unarchiveUser, .searchUsers, .listEvents:
                throw InputError("\(name.rawValue) exists on the REST API 2.x only (--api-version 2.16)")
            }
        } catch let error as InputError {
            throw error
        } catch let error as ParameterError {
            throw InputError(error.message)
        } catch {
            throw InputError("\(error)")
        }
    }

    /// The query of `all_users`: page size and tag filter.
    public func allUsersQuery() throws(InputError) -> (perPage: Int, tagID: String?, tagName: String?) {
        let p = try checkedParameters()
        let perPage = p.int("per_page") ?? 500
        guard (1...500).contains(perPage) else { throw InputError("per_page must be from 1 to 500, not \(perPage)") }
        return (perPage, p.string("tag_id"), p.string("tag_name"))
    }

    /// The parameters, each checked against its kind: unknown names and wrong types are refused.
    func checkedParameters() throws(InputError) -> CheckedParameters {
        var values = JSONObject(minimumCapacity: parameters.count)
        for (key, value) in parameters {
            guard let spec = name.parameter(key) else {
                let known = name.parameters.map(\.name).joined(separator: ", ")
                throw InputError("\(name.rawValue) has no parameter '\(key)' (it takes \(known))")
            }
            if value.isNull { continue }
            values[key] = try Self.check(value, against: spec)
        }
        return CheckedParameters(values: values)
    }

    /// Checks one value and normalises it (identifiers to strings, times to Unix seconds, one item to an array).
    static func check(_ value: JSONValue, against spec: ParameterSpec) throws(InputError) -> JSONValue {
        let key = spec.name
        var wrongType: InputError { Self.wrongType(value, spec) }
        switch spec.kind {
        case .string:
            guard value.stringValue != nil else { throw wrongType }
            return value
        case .identifier:
            guard let identifier = identifier(value) else { throw wrongType }
            return identifier
        case .integer:
            guard case .integer = value else { throw wrongType }
            return value
        case .timestamp:
            guard let seconds = unixSeconds(value) else { throw wrongType }
            return .integer(seconds)
        case .boolean:
            guard case .bool = value else { throw wrongType }
            return value
        case .flatObject, .metadata:
            guard case .object(let object) = value else { throw wrongType }
            try checkFlat(object, spec: spec)
            return value
        case .increments:
            guard case .object(let object) = value else { throw wrongType }
            if let (name, bad) = object.first(where: { $0.value.doubleValue == nil }) {
                throw InputError("\(key) must hold only numbers, not \(Self.given(bad)) for '\(name)'")
            }
            return value
        case .stringArray:
            return try array(value, spec: spec, itemsAre: "strings", string)
        case .identifierArray:
            return try array(value, spec: spec, itemsAre: "strings and numbers", identifier)
        case .company:
            return try company(value, key: key, spec: spec)
        case .companies:
            let items = try array(value, spec: spec, itemsAre: "objects", object)
            var checked: [JSONValue] = []
            for (index, item) in (items.arrayValue ?? []).enumerated() {
                checked.append(try company(item, key: "\(key)[\(index)]", spec: spec))
            }
            return .array(checked)
        case .tagAction:
            guard let text = value.stringValue, TagAction(rawValue: text) != nil else {
                throw InputError("\(key) must be \"tag\" or \"untag\", not \(value.description)")
            }
            return value
        case .searchQuery:
            do {
                let query = try SearchQuery(json: value)
                try ContactSearchRules.check(query, customAttribute: SearchFilterCompiler.customKinds(in: query))
            } catch {
                throw InputError("\(key): \(error.message)")
            }
            return value
        }
    }

    /// The error for a value of the wrong type, built only when one is thrown (checks run on every line).
    static func wrongType(_ value: JSONValue, _ spec: ParameterSpec) -> InputError {
        InputError("\(spec.name) must be \(spec.kind.description), not \(given(value))")
    }

    /// How a wrong value is named: a number (1.5 for a whole number) or a short string (a date that is none) by
    /// its value, anything else by its type.
    static func given(_ value: JSONValue) -> String {
        switch value {
        case .double: return value.description
        case .string(let text) where text.utf8.count <= 40: return value.description
        default: return value.typeDescription
        }
    }

    /// `value` when it is a string.
    static func string(_ value: JSONValue) -> JSONValue? {
        if case .string = value { return value }
        return Optional.none
    }

    /// `value` when it is an object.
    static func object(_ value: JSONValue) -> JSONValue? {
        if case .object = value { return value }
        return Optional.none
    }

    /// A user_id as sent: a string, or a whole number's digits.
    static func identifier(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .string: return value
        case .integer(let number): return .string(String(number))
        default: return Optional.none
        }
    }

    /// The Unix seconds of a time parameter: a number (decimals dropped) or a date text (``TimeInput``).
    static func unixSeconds(_ value: JSONValue) -> Int64? {
        switch value {
        case .integer(let seconds): return seconds
        case .double(let number) where number.isFinite && abs(number) < 9.2e15: return Int64(number)
        case .string(let text): return TimeInput.unixSeconds(from: text)
        default: return nil
        }
    }

    /// custom_data's and metadata's rules.
    static func checkFlat(_ object: JSONObject, spec: ParameterSpec) throws(InputError) {
        do {
            if spec.kind == .flatObject { try CustomDataRules.checkCustomData(object, parameter: spec.name) } else { try CustomDataRules.checkMetadata(object) }
        } catch let error as ParameterError {
            throw InputError(error.message)
        } catch {
            throw InputError("\(error)")
        }
    }

    /// An array whose items `item` accepts (and may normalise); a lone item is an array of one.
    static func array(
        _ value: JSONValue, spec: ParameterSpec, itemsAre: String, _ item: (JSONValue) -> JSONValue?
    ) throws(InputError) -> JSONValue {
        guard case .array(let items) = value else {
            guard let single = item(value) else { throw wrongType(value, spec) }
            return .array([single])
        }
        var checked: [JSONValue] = []
        checked.reserveCapacity(items.count)
        for element in items {
            guard let accepted = item(element) else { throw InputError("\(spec.name) must hold only \(itemsAre), not \(Self.given(element))") }
            checked.append(accepted)
        }
        return .array(checked)
    }

    /// A company: an object with an id; a `created_at` given as a date becomes Unix seconds.
    static func company(_ value: JSONValue, key: String, spec: ParameterSpec) throws(InputError) -> JSONValue {
        guard case .object(var company) = value else { throw wrongType(value, spec) }
        guard let id = company["id"], !id.isNull else { throw InputError("\(key) has no id") }
        if let created = company["created_at"], !created.isNull {
            guard let seconds = unixSeconds(created) else {
                throw InputError("\(key).created_at must be \(ParameterKind.timestamp.description), not \(Self.given(created))")
            }
            company["created_at"] = .integer(seconds)
        }
        return .object(company)
    }
}

/// Parameters that passed their checks, with typed getters.
struct CheckedParameters {
    let values: JSONObject

    func string(_ key: String) -> String? { values[key]?.stringValue }
    func int64(_ key: String) -> Int64? { values[key]?.integerValue }
    func int(_ key: String) -> Int? { int64(key).map { Int(clamping: $0) } }
    func bool(_ key: String) -> Bool? { values[key]?.boolValue }
    func object(_ key: String) -> JSONObject? { values[key]?.objectValue }
    func strings(_ key: String) -> [String]? { values[key]?.arrayValue?.compactMap(\.stringValue) }

    func required(_ key: String) throws(InputError) -> String {
        guard let text = string(key), !text.isEmpty else { throw InputError("\(key) is required") }
        return text
    }

    var identifier: UserIdentifier { UserIdentifier(userID: string("user_id"), email: string("email")) }

    /// `thread_id` as v1 takes it: a whole number (a 2.x conversation id may be any text).
    func v1ThreadID() throws(InputError) -> Int64? {
        guard let text = string("thread_id") else { return nil }
        guard let number = Int64(text) else { throw InputError("thread_id on v1 is a whole number, not '\(text)'") }
        return number
    }

    var tagAction: TagAction? { string("tag_or_untag").flatMap(TagAction.init(rawValue:)) }

    var userAttributes: UserAttributes {
        UserAttributes(
            userID: string("user_id"), email: string("email"), name: string("name"), createdAt: int64("created_at"),
            customData: object("custom_data"), lastSeenIP: string("last_seen_ip"), lastSeenUserAgent: string("last_seen_user_agent"),
            companies: values["companies"]?.arrayValue?.compactMap(\.objectValue), lastRequestAt: int64("last_request_at"),
            lastImpressionAt: int64("last_impression_at"), unsubscribedFromEmails: bool("unsubscribed_from_emails"),
            company: object("company"), increments: object("increments"))
    }
}
