import GRDB
import IntercomKit

extension SandboxStore {
    /// Loads the entities of python-intercom 0.2.13's documented examples, with the field values of its fixtures
    /// (`v1-user.json`, `v1-users-message_threads.json`, `v1-tag.json`).
    static func loadDemoSeed(_ db: Database) throws {
        var somebody = UserRecord(sequence: 1, intercomID: "528f291df8d4a41d8c000088", createdAt: 1_270_000_000)
        somebody.userID = "123"
        somebody.email = "somebody@example.com"
        somebody.name = "Somebody"
        somebody.lastImpressionAt = 1_300_000_000
        somebody.customData = ["app_name": "Genesis", "monthly_spend": 155.5, "team_mates": 7]
        somebody.socialProfiles = [
            ["type": "twitter", "url": "http://twitter.com/abc", "username": "abc"],
            ["type": "facebook", "url": "http://facebook.com/vanity", "username": "vanity", "id": "13241141441141413"],
        ]
        somebody.locationData = [
            "city_name": "Santiago", "continent_code": "SA", "country_name": "Chile", "latitude": -33.44999999999999,
            "longitude": -70.6667, "postal_code": "", "region_name": "12", "timezone": "Chile/Continental", "country_code": "CHL",
        ]
        somebody.lastSeenIP = "127.0.0.1"
        somebody.lastSeenUserAgent =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_3) AppleWebKit/535.11 (KHTML, like Gecko) Chrome/17.0.963.56 Safari/535.11"
        somebody.avatarURL = "https://graph.facebook.com/13241141441141413/picture?width=24&height=24"

        var abc = UserRecord(sequence: 2, intercomID: "528f27c330972d7836000071", createdAt: 1_270_000_000)
        abc.userID = "abc123"
        abc.email = "abc123@example.com"
        abc.name = "Abc User"
        var def = UserRecord(sequence: 3, intercomID: "528f27c330972d7836000072", createdAt: 1_270_000_000)
        def.userID = "def456"
        def.email = "def456@example.com"
        def.name = "Def User"

        for user in [somebody, abc, def] { try save(db, user) }
        try db.run("UPDATE counters SET value = 3 WHERE name = 'user_sequence'")
        try db.run("INSERT INTO tags (id, name) VALUES ('52322b4150233908a800013c', 'Free Trial')")
        try db.run("INSERT INTO tag_members (tag_id, sequence) VALUES ('52322b4150233908a800013c', 2), ('52322b4150233908a800013c', 3)")

        let author = somebody.authorJSON
        let thread = ThreadRecord(
            threadID: 5591, ownerSequence: 1, createdAt: 1_385_114_400, updatedAt: 1_385_114_400, read: true, interrupt: true,
            messages: [
                ["created_at": 1_385_114_400, "url": nil, "html": "<p>Hey Intercom, What is up?</p>\n\n<p></p>", "subject": "", "from": author],
                ["created_at": 1_384_941_600, "url": nil, "html": "<p>Not much, you?\n</p>"],
                ["created_at": 1_385_028_000, "url": nil, "html": "<p>Not much either :(</p>\n\n<p></p>", "from": author],
            ])
        try save(db, thread)
        try db.run("UPDATE counters SET value = 5591 WHERE name = 'thread_id'")
    }
}
