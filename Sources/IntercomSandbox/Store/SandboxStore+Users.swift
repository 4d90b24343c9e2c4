import OrderedCollections
import Synchronization
import IntercomKit

extension SandboxStore {
    /// The user with this user_id or email.
    func user(userID: String?, email: String?) throws(SandboxError) -> JSONValue {
        try state.withLock { state throws(SandboxError) in
            let sequence = try state.existingSequence(userID: userID, email: email)
            return state.users[sequence]!.json
        }
    }

    /// One page of users, in creation order, optionally only those carrying a tag (by id or name).
    func listUsers(page: Int, perPage: Int, tagID: String?, tagName: String?) -> JSONValue {
        state.withLock { state in
            let offset = (page - 1) * perPage
            let total: Int
            let pageUsers: [JSONValue]
            if tagID != nil || tagName != nil {
                let name = tagName ?? tagID.flatMap { state.tagNameByID[$0] }
                let members = name.flatMap { state.tags[$0]?.members.sorted() } ?? []
                total = members.count
                pageUsers = offset < total ? members[offset..<min(offset + perPage, total)].map { state.users[$0]!.json } : []
            } else {
                total = state.users.count
                let values = state.users.values
                pageUsers = offset < total ? values[offset..<min(offset + perPage, total)].map(\.json) : []
            }
            return .object([
                "users": .array(pageUsers),
                "total_count": .integer(Int64(total)),
                "page": .integer(Int64(page)),
                "next_page": page * perPage < total ? .integer(Int64(page + 1)) : .null,
                "previous_page": (page - 1) * perPage > 0 ? .integer(Int64(page - 1)) : .null,
                "total_pages": .integer(Int64((total + perPage - 1) / perPage)),
            ])
        }
    }

    /// Creates the user, or updates the one with the same user_id (or, failing that, email).
    /// Returns the user and whether it was created.
    func upsertUser(_ changes: UserChanges) throws(SandboxError) -> (user: JSONValue, created: Bool) {
        let now = clock()
        return try state.withLock { state throws(SandboxError) in
            guard changes.userID != nil || changes.email != nil else { throw SandboxError.missingIdentifier }
            if let sequence = state.sequence(userID: changes.userID, email: changes.email) {
                try state.reidentify(sequence, userID: changes.userID, email: changes.email)
                state.users[sequence]!.apply(changes)
                return (state.users[sequence]!.json, false)
            }
            let sequence = state.nextSequence
            state.nextSequence += 1
            var record = UserRecord(sequence: sequence, intercomID: state.makeID(now: now), createdAt: changes.createdAt ?? now)
            record.apply(changes)
            record.userID = changes.userID
            record.email = changes.email
            state.users[sequence] = record
            if let userID = changes.userID { state.sequenceByUserID[userID] = sequence }
            if let email = changes.email { state.sequenceByEmail[email.lowercased()] = sequence }
            return (record.json, true)
        }
    }

    /// Deletes the user and returns it as it was; its threads go with it and it leaves every tag.
    func deleteUser(userID: String?, email: String?) throws(SandboxError) -> JSONValue {
        try state.withLock { state throws(SandboxError) in
            let sequence = try state.existingSequence(userID: userID, email: email)
            let record = state.users.removeValue(forKey: sequence)!
            if let userID = record.userID { state.sequenceByUserID[userID] = nil }
            if let email = record.email { state.sequenceByEmail[email.lowercased()] = nil }
            for name in state.tags.keys { state.tags[name]!.members.remove(sequence) }
            for threadID in state.threadIDsByOwner.removeValue(forKey: sequence) ?? [] { state.threads[threadID] = nil }
            return record.json
        }
    }

    /// Records an impression: updates the user's last visit, IP, agent and session count,
    /// and returns how many of their threads are unread.
    func recordImpression(userID: String?, email: String?, userIP: String?, userAgent: String?) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try state.withLock { state throws(SandboxError) in
            let sequence = try state.existingSequence(userID: userID, email: email)
            state.users[sequence]!.lastImpressionAt = now
            state.users[sequence]!.sessionCount += 1
            if let userIP { state.users[sequence]!.lastSeenIP = userIP }
            if let userAgent { state.users[sequence]!.lastSeenUserAgent = userAgent }
            state.impressionCount += 1
            let unread = (state.threadIDsByOwner[sequence] ?? []).filter { state.threads[$0]?.read == false }.count
            return ["unread_messages": .integer(Int64(unread))]
        }
    }

    /// Writes a note on the user: `{"html": "<p>escaped body</p>", "created_at": now, "user": {…}}`.
    func createNote(userID: String?, email: String?, body: String) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try state.withLock { state throws(SandboxError) in
            let sequence = try state.existingSequence(userID: userID, email: email)
            state.notes.append(NoteRecord(userSequence: sequence, body: body, created: now))
            return ["html": .string(HTML.paragraph(body)), "created_at": .integer(now), "user": state.users[sequence]!.json]
        }
    }

    /// Records an event. Events are accepted for any identifier, as the v1 API queued them (202). An event equal
    /// to one already received (same name, user, `created` and metadata) is taken as a repeated delivery and not
    /// stored twice: that is why a client retrying an event must keep the `created` of its first attempt.
    func recordEvent(name: String, userID: String?, email: String?, created: Int64?, metadata: JSONObject?) {
        let event = EventRecord(name: name, userID: userID, email: email, created: created ?? clock(), metadata: metadata)
        state.withLock { state in
            guard state.eventFingerprints.insert(event.fingerprint).inserted else { return }
            state.events.append(event)
        }
    }
}

extension SandboxStore.State {
    /// Gives the user at `sequence` the user_id and email of an update, refusing one that belongs to another user.
    mutating func reidentify(_ sequence: Int, userID: String?, email: String?) throws(SandboxError) {
        let record = users[sequence]!
        if let userID, record.userID != userID {
            if let current = record.userID {
                throw SandboxError.badRequest(
                    "email \(record.email ?? "") belongs to the user with user_id \(current), not \(userID)")
            }
            sequenceByUserID[userID] = sequence
            users[sequence]!.userID = userID
        }
        if let email, record.email?.lowercased() != email.lowercased() {
            if let owner = sequenceByEmail[email.lowercased()], owner != sequence {
                throw SandboxError.badRequest("email \(email) already belongs to another user")
            }
            if let old = record.email { sequenceByEmail[old.lowercased()] = nil }
            sequenceByEmail[email.lowercased()] = sequence
            users[sequence]!.email = email
        } else if let email {
            users[sequence]!.email = email
        }
    }
}

extension UserRecord {
    /// Applies the writable fields of an update: custom_data merges, increments add, last_request_at
    /// becomes last_impression_at, companies become company_ids.
    mutating func apply(_ changes: UserChanges) {
        if let name = changes.name { self.name = name }
        if let createdAt = changes.createdAt { self.createdAt = createdAt }
        if let customData = changes.customData { self.customData.merge(customData) { _, new in new } }
        if let increments = changes.increments {
            for (key, delta) in increments {
                let current = customData[key]?.doubleValue ?? 0
                let sum = current + delta
                customData[key] = sum == sum.rounded() && abs(sum) < 9e15 ? .integer(Int64(sum)) : .double(sum)
            }
        }
        if let lastSeenIP = changes.lastSeenIP { self.lastSeenIP = lastSeenIP }
        if let lastSeenUserAgent = changes.lastSeenUserAgent { self.lastSeenUserAgent = lastSeenUserAgent }
        if let companies = changes.companies {
            for id in companies.compactMap({ $0["id"] }) where !companyIDs.contains(id) { companyIDs.append(id) }
        }
        if let lastImpressionAt = changes.lastImpressionAt { self.lastImpressionAt = lastImpressionAt }
        if let unsubscribed = changes.unsubscribedFromEmails { unsubscribedFromEmails = unsubscribed }
    }
}

/// Minimal HTML rendering of user text, as the v1 API returned notes and messages.
enum HTML {
    /// `<p>` + the text with `& < > " '` escaped + `</p>`.
    static func paragraph(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 7)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return "<p>" + escaped + "</p>"
    }
}
