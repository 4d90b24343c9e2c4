import GRDB
import IntercomKit

extension SandboxStore {
    /// The schema, as GRDB migrations: a database file created by an older sandbox is brought up to date.
    ///
    /// Users, threads and events are kept as the JSON the API answers with (a read is one indexed lookup and no
    /// re-rendering), beside the columns they are looked up by.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    sequence INTEGER PRIMARY KEY,
                    user_id TEXT UNIQUE,
                    email_key TEXT UNIQUE,
                    record TEXT NOT NULL
                );
                CREATE TABLE tags (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE) WITHOUT ROWID;
                CREATE TABLE tag_members (
                    tag_id TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    PRIMARY KEY (tag_id, sequence)
                ) WITHOUT ROWID;
                CREATE INDEX tag_members_by_user ON tag_members (sequence);
                CREATE TABLE threads (
                    thread_id INTEGER PRIMARY KEY,
                    owner INTEGER NOT NULL,
                    message_count INTEGER NOT NULL,
                    record TEXT NOT NULL
                );
                CREATE INDEX threads_by_owner ON threads (owner, thread_id);
                CREATE TABLE notes (
                    id INTEGER PRIMARY KEY,
                    user_sequence INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    created INTEGER NOT NULL
                );
                CREATE TABLE events (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL UNIQUE);
                CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO counters (name, value) VALUES ('user_sequence', 0), ('thread_id', 0), ('object_id', 0), ('impressions', 0);
                """)
        }
        migrator.registerMigration("rest-contacts") { db in
            try db.execute(sql: """
                ALTER TABLE users ADD COLUMN intercom_id TEXT;
                UPDATE users SET intercom_id = json_extract(record, '$.intercom_id');
                CREATE UNIQUE INDEX users_by_intercom_id ON users (intercom_id);
                CREATE TABLE contacts (sequence INTEGER PRIMARY KEY, state TEXT NOT NULL);
                """)
        }
        migrator.registerMigration("data-attributes") { db in
            try db.execute(sql: """
                CREATE TABLE data_attributes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, data_type TEXT NOT NULL);
                INSERT OR IGNORE INTO data_attributes (name, data_type)
                    SELECT DISTINCT j.key, CASE j.type WHEN 'integer' THEN 'integer' WHEN 'real' THEN 'float'
                        WHEN 'true' THEN 'boolean' WHEN 'false' THEN 'boolean' ELSE 'string' END
                    FROM users, json_each(users.record, '$.custom_data') AS j;
                """)
        }
        migrator.registerMigration("merged-contacts") { db in
            try db.execute(sql: "CREATE TABLE merged_contacts (id TEXT PRIMARY KEY, external_id TEXT, into_id TEXT NOT NULL) WITHOUT ROWID")
        }
        migrator.registerMigration("attribute-models") { db in
            try db.execute(sql: """
                CREATE TABLE data_attributes_by_model (
                    id INTEGER PRIMARY KEY,
                    model TEXT NOT NULL DEFAULT 'contact',
                    name TEXT NOT NULL,
                    data_type TEXT NOT NULL,
                    description TEXT NOT NULL DEFAULT '',
                    archived INTEGER NOT NULL DEFAULT 0,
                    options TEXT,
                    UNIQUE (model, name)
                );
                INSERT INTO data_attributes_by_model (id, name, data_type) SELECT id, name, data_type FROM data_attributes;
                DROP TABLE data_attributes;
                ALTER TABLE data_attributes_by_model RENAME TO data_attributes;
                """)
        }
        migrator.registerMigration("companies") { db in
            try db.execute(sql: """
                CREATE TABLE companies (
                    sequence INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    company_id TEXT NOT NULL UNIQUE,
                    name_key TEXT,
                    record TEXT NOT NULL
                );
                CREATE INDEX companies_by_name ON companies (name_key);
                CREATE TABLE company_members (company INTEGER NOT NULL, sequence INTEGER NOT NULL, PRIMARY KEY (company, sequence)) WITHOUT ROWID;
                CREATE INDEX company_members_by_user ON company_members (sequence);
                """)
        }
        migrator.registerMigration("company-tags") { db in
            try db.execute(sql: "CREATE TABLE company_tags (tag_id TEXT NOT NULL, company INTEGER NOT NULL, PRIMARY KEY (tag_id, company)) WITHOUT ROWID")
        }
        migrator.registerMigration("event-indexes") { db in
            try db.execute(sql: """
                CREATE INDEX events_by_user_id ON events (json_extract(fingerprint, '$.user_id'));
                CREATE INDEX events_by_email ON events (lower(json_extract(fingerprint, '$.email')));
                CREATE INDEX notes_by_user ON notes (user_sequence, id);
                CREATE INDEX archived_contacts ON contacts (sequence) WHERE json_extract(state, '$.archived') = 1;
                """)
        }
        migrator.registerMigration("user-count") { db in
            // Every page of a list reports the total; counting 100,000 rows took a millisecond a page.
            try db.execute(sql: """
                INSERT INTO counters (name, value) SELECT 'users', count(*) FROM users;
                CREATE TRIGGER users_counted_in AFTER INSERT ON users BEGIN UPDATE counters SET value = value + 1 WHERE name = 'users'; END;
                CREATE TRIGGER users_counted_out AFTER DELETE ON users BEGIN UPDATE counters SET value = value - 1 WHERE name = 'users'; END;
                """)
        }
        return migrator
    }()

    /// How many users (contacts) the store holds, kept by triggers as rows come and go.
    static func userCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT value FROM counters WHERE name = 'users'")) ?? 0
    }

    /// A fresh 24-hex-digit id, like Intercom's ObjectIds: the time, then a counter.
    static func makeID(_ db: Database, now: Int64) throws -> String {
        let counter = String(try db.next("object_id"), radix: 16)
        let time = String(UInt32(truncatingIfNeeded: now), radix: 16)
        return String(repeating: "0", count: 8 - time.count) + time + String(repeating: "0", count: 16 - counter.count) + counter
    }
}
