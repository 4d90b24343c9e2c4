import GRDB
import IntercomKit

/// `--seed generated:N`: data of a real size to export, the same on every run.
extension SandboxStore {
    /// The first contact's creation time (2024-01-01T00:00:00Z); each next one is a minute later.
    static let generatedEpoch: Int64 = 1_704_067_200

    /// Loads N contacts, N/10 companies and N/2 conversations:
    /// - contact `i` (1…N): user_id `u<i>`, email `u<i>@example.com`, name `User <i>`, custom attribute `plan` (free,
    ///   pro, team in turn), created `i` minutes after ``generatedEpoch``;
    /// - company `j` (1…max(1, N/10)): company_id `c<j>`, name `Company <j>`; contact `i` is attached to company
    ///   `(i - 1) % companies + 1`;
    /// - conversation `k` (1…max(1, N/2)) of contact `(k - 1) % N + 1`: its message, a teammate's reply, the contact's
    ///   answer and a teammate's note; every third one closed.
    static func loadGeneratedSeed(_ db: Database, contacts count: Int) throws {
        let companies = max(1, count / 10)
        for index in 1...count { try save(db, generatedUser(index)) }
        try db.run("UPDATE counters SET value = ? WHERE name = 'user_sequence'", [count])
        for index in 1...companies {
            let created = generatedEpoch + Int64(index) * 60
            let record: JSONValue = [
                "company_id": .string("c\(index)"), "name": .string("Company \(index)"), "size": .integer(Int64(index % 500)),
                "created_at": .integer(created), "updated_at": .integer(created),
            ]
            try db.run(
                "INSERT INTO companies (sequence, id, company_id, name_key, record) VALUES (?, ?, ?, ?, ?)",
                [index, generatedID(prefix: "5c", index), "c\(index)", "company \(index)", record.encodedString()])
        }
        for index in 1...count {
            try db.run("INSERT INTO company_members (company, sequence) VALUES (?, ?)", [(index - 1) % companies + 1, index])
        }
        let conversations = max(1, count / 2)
        for index in 1...conversations { try save(db, generatedThread(index, owner: generatedUser((index - 1) % count + 1))) }
        try db.run("UPDATE counters SET value = ? WHERE name = 'thread_id'", [conversations])
    }

    /// Contact `index` of the generated seed.
    static func generatedUser(_ index: Int) -> UserRecord {
        var user = UserRecord(sequence: index, intercomID: generatedID(prefix: "5a", index), createdAt: generatedEpoch + Int64(index) * 60)
        user.userID = "u\(index)"
        user.email = "u\(index)@example.com"
        user.name = "User \(index)"
        user.customData = ["plan": .string(["free", "pro", "team"][index % 3])]
        return user
    }

    /// Conversation `index` of the generated seed, started by `owner`.
    static func generatedThread(_ index: Int, owner: UserRecord) -> ThreadRecord {
        let started = generatedEpoch + Int64(index) * 90
        let admin: JSONValue = ["type": "admin", "is_admin": true]
        let messages: [JSONValue] = [
            message(by: owner, body: "Question \(index): how do I export my data?", url: nil, subject: "", at: started),
            ["created_at": .integer(started + 60), "url": nil, "html": .string("<p>Answer \(index)</p>"), "from": admin, "admin_id": "991267459"],
            message(by: owner, body: "Thanks, \(index)", url: nil, subject: nil, at: started + 120),
            [
                "created_at": .integer(started + 180), "url": nil, "html": .string("<p>Note \(index)</p>"), "from": admin, "admin_id": "991267460",
                "part_type": "note",
            ],
        ]
        var thread = ThreadRecord(
            threadID: Int64(index), ownerSequence: owner.sequence, createdAt: started, updatedAt: started + 180, read: index % 2 == 0,
            messages: messages)
        if index % 3 == 0 { thread.conversation.state = "closed" }
        return thread
    }

    /// A 24-hex-digit id made from `index`, under a prefix no id the sandbox makes later has.
    static func generatedID(prefix: String, _ index: Int) -> String {
        let digits = String(index, radix: 16)
        return prefix + String(repeating: "0", count: 22 - digits.count) + digits
    }
}
