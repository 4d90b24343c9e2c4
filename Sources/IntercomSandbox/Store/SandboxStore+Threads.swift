import OrderedCollections
import Synchronization
import IntercomKit

extension SandboxStore {
    /// All of the user's threads, oldest first.
    func threads(userID: String?, email: String?) throws(SandboxError) -> JSONValue {
        try state.withLock { state throws(SandboxError) in
            let sequence = try state.existingSequence(userID: userID, email: email)
            return .array((state.threadIDsByOwner[sequence] ?? []).compactMap { state.threads[$0]?.json })
        }
    }

    /// One of the user's threads.
    func thread(userID: String?, email: String?, threadID: Int64) throws(SandboxError) -> JSONValue {
        try state.withLock { state throws(SandboxError) in
            let sequence = try state.existingSequence(userID: userID, email: email)
            guard let thread = state.threads[threadID], thread.ownerSequence == sequence else {
                throw SandboxError.notFound("MessageThread")
            }
            return thread.json
        }
    }

    /// The user starts a thread; with `threadID`, comments on that one instead (as POST did in the v1 API).
    func createThread(userID: String?, email: String?, threadID: Int64?, body: String, url: String?) throws(SandboxError) -> JSONValue {
        if let threadID {
            return try reply(userID: userID, email: email, threadID: threadID, body: body, url: url, read: nil)
        }
        let now = clock()
        return try state.withLock { state throws(SandboxError) in
            let sequence = try state.existingSequence(userID: userID, email: email)
            let threadID = state.nextThreadID
            state.nextThreadID += 1
            let message = Self.message(by: state.users[sequence]!, body: body, url: url, subject: "", at: now)
            let thread = ThreadRecord(threadID: threadID, ownerSequence: sequence, createdAt: now, updatedAt: now, read: true, messages: [message])
            state.threads[threadID] = thread
            state.threadIDsByOwner[sequence, default: []].append(threadID)
            return thread.json
        }
    }

    /// The user replies to a thread (with `body`) and/or marks it read or unread (with `read`).
    func reply(userID: String?, email: String?, threadID: Int64, body: String?, url: String?, read: Bool?) throws(SandboxError) -> JSONValue {
        let now = clock()
        return try state.withLock { state throws(SandboxError) in
            let sequence = try state.existingSequence(userID: userID, email: email)
            guard var thread = state.threads[threadID], thread.ownerSequence == sequence else {
                throw SandboxError.notFound("MessageThread")
            }
            if let body {
                thread.messages.append(Self.message(by: state.users[sequence]!, body: body, url: url, subject: nil, at: now))
                thread.updatedAt = now
            }
            if let read { thread.read = read }
            state.threads[threadID] = thread
            return thread.json
        }
    }

    private static func message(by user: UserRecord, body: String, url: String?, subject: String?, at time: Int64) -> JSONValue {
        var message: JSONObject = [
            "created_at": .integer(time),
            "url": url.map(JSONValue.string) ?? .null,
            "html": .string(HTML.paragraph(body)),
            "from": user.authorJSON,
        ]
        if let subject { message["subject"] = .string(subject) }
        return .object(message)
    }
}
