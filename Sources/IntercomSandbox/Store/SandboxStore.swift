import Foundation
import GRDB
public import IntercomKit

/// The sandbox's data: users, tags, message threads, notes and events, in SQLite through GRDB.
///
/// One implementation serves both kinds of sandbox, so that a rehearsal against a persistent sandbox behaves
/// exactly like the in-memory default: ``init(seed:clock:)`` keeps the database in memory, ``init(path:seed:clock:)``
/// in a file in WAL mode. Every request's changes are one transaction, committed before the answer leaves: a
/// sandbox killed at any moment (even `kill -9`) reopens with every change it answered with success and none
/// half-written. Users are indexed by user_id and by lower-cased email; opening a file reads no more than its schema.
public final class SandboxStore: Sendable {
    let database: any DatabaseWriter
    let clock: @Sendable () -> Int64
    /// The database file, open and locked (`flock`) for as long as the store lives: one sandbox per file.
    private let lockedFile: Int32?

    /// Creates an in-memory store holding `seed`; `clock` gives the current Unix time (the wall clock by default).
    public convenience init(seed: SandboxSeed = .empty, clock: @escaping @Sendable () -> Int64 = SandboxStore.wallClock) {
        // An in-memory database can only fail to open when memory is exhausted.
        try! self.init(database: DatabaseQueue(configuration: Self.configuration()), seed: seed, clock: clock, lockedFile: nil)
    }

    /// Opens (or creates, readable by its owner only) the database file at `path` and applies the schema;
    /// `seed` is loaded only into a new database. Throws ``SandboxStorageError`` when the file cannot be used,
    /// also when another sandbox has it open: two servers on one file would refuse each other's writes.
    public convenience init(
        path: String, seed: SandboxSeed = .empty, clock: @escaping @Sendable () -> Int64 = SandboxStore.wallClock
    ) throws(SandboxStorageError) {
        let lockedFile = try Self.openLocked(path)
        do {
            var configuration = Self.configuration()
            configuration.prepareDatabase { db in
                // WAL with synchronous=NORMAL: a commit is in the OS before the answer leaves, so a killed process
                // loses nothing it answered; only a power cut may lose the last commits, never consistency.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            try self.init(
                database: DatabasePool(path: path, configuration: configuration), seed: seed, clock: clock, lockedFile: lockedFile)
        } catch {
            close(lockedFile)
            throw SandboxStorageError(path: path, reason: "\(error)")
        }
    }

    private init(database: any DatabaseWriter, seed: SandboxSeed, clock: @escaping @Sendable () -> Int64, lockedFile: Int32?) throws {
        self.database = database
        self.clock = clock
        self.lockedFile = lockedFile
        let isNew = try database.read { db in try Self.migrator.hasCompletedMigrations(db) == false }
        try Self.migrator.migrate(database)
        if isNew {
            switch seed {
            case .empty: break
            case .demo: try database.write { db in try Self.loadDemoSeed(db) }
            case .generated(let count): try database.write { db in try Self.loadGeneratedSeed(db, contacts: count) }
            }
        }
    }

    /// What every connection gets: the SQL function contact searches are judged by (``ContactSearchSQL``).
    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.prepareDatabase { db in db.add(function: ContactSearchSQL.function) }
        return configuration
    }

    deinit {
        if let lockedFile { close(lockedFile) }
    }

    /// The current Unix time from the system clock.
    public static let wallClock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    /// Counts of what the store holds.
    public func statistics() throws(SandboxError) -> SandboxStatistics {
        try read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return SandboxStatistics(
                users: try count("SELECT count(*) FROM users"),
                tags: try count("SELECT count(*) FROM tags"),
                threads: try count("SELECT count(*) FROM threads"),
                messages: try count("SELECT coalesce(sum(message_count), 0) FROM threads"),
                notes: try count("SELECT count(*) FROM notes"),
                impressions: try count("SELECT value FROM counters WHERE name = 'impressions'"),
                events: try count("SELECT count(*) FROM events"))
        }
    }

    /// The most recent notes written, oldest first, at most `limit`: `{"user_id", "email", "body", "created_at"}`.
    public func recentNotes(limit: Int = 100) throws(SandboxError) -> [JSONValue] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT n.body, n.created, u.record FROM notes n LEFT JOIN users u ON u.sequence = n.user_sequence
                    ORDER BY n.id DESC LIMIT ?
                    """,
                arguments: [limit])
            return try rows.reversed().map { row in
                let user: JSONValue? = try (row["record"] as String?).map { try JSONValue(parsing: $0) }
                return [
                    "user_id": user?["user_id"] ?? .null, "email": user?["email"] ?? .null,
                    "body": .string(row["body"]), "created_at": .integer(row["created"]),
                ]
            }
        }
    }

    /// The most recent events received, oldest first, at most `limit`.
    public func recentEvents(limit: Int = 100) throws(SandboxError) -> [JSONValue] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT fingerprint FROM events ORDER BY id DESC LIMIT ?", arguments: [limit])
                .reversed().map { try JSONValue(parsing: $0) }
        }
    }
}

/// Counts of what a sandbox holds, as `GET /_sandbox/stats` reports them.
public struct SandboxStatistics: Sendable, Hashable, Codable {
    /// Users.
    public var users: Int
    /// Tags.
    public var tags: Int
    /// Message threads.
    public var threads: Int
    /// Messages in all threads.
    public var messages: Int
    /// Notes written (notes stay counted when their user is deleted).
    public var notes: Int
    /// Impressions recorded.
    public var impressions: Int
    /// Events received.
    public var events: Int
}

/// The sandbox's database file cannot be opened or set up.
public struct SandboxStorageError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// What went wrong.
    public let reason: String
    /// `cannot use the sandbox database PATH: REASON`.
    public var description: String { "cannot use the sandbox database \(path): \(reason)" }
}

extension SandboxStore {
    /// One transaction that changes the store; a thrown error rolls all of it back.
    func write<T>(_ body: (Database) throws -> T) throws(SandboxError) -> T {
        do {
            return try database.write(body)
        } catch {
            throw Self.sandboxError(error)
        }
    }

    /// A consistent read of the store.
    func read<T>(_ body: (Database) throws -> T) throws(SandboxError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw Self.sandboxError(error)
        }
    }

    private static func sandboxError(_ error: any Error) -> SandboxError {
        if let error = error as? SandboxError { return error }
        return SandboxError(status: 500, type: "server_error", message: "The sandbox's database failed: \(error)")
    }

    /// Opens the database file, creating it with mode 0600 if it does not exist (SQLite gives its -wal and -shm
    /// files the same mode), since a rehearsal may hold customer data; and locks it with `flock`, which SQLite's
    /// own (`fcntl`) locks do not see, so that a second sandbox on the same file is refused at once.
    private static func openLocked(_ path: String) throws(SandboxStorageError) -> Int32 {
        let descriptor: Int32
        switch PrivateFileDescriptor.open(path, flags: O_RDWR | O_CREAT) {
        case .success(let opened): descriptor = opened
        case .failure(let code): throw SandboxStorageError(path: path, reason: code.description)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "another sandbox is using it" : String(cString: strerror(errno))
            close(descriptor)
            throw SandboxStorageError(path: path, reason: reason)
        }
        return descriptor
    }
}

extension Database {
    /// Runs a statement, prepared once per connection.
    func run(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// The next value of a named counter (1 the first time).
    func next(_ counter: String) throws -> Int64 {
        try Int64.fetchOne(cachedStatement(sql: "UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value"), arguments: [counter]) ?? 0
    }

    /// A JSON document the store wrote itself.
    func json(_ sql: String, _ arguments: StatementArguments) throws -> JSONValue? {
        try String.fetchOne(cachedStatement(sql: sql), arguments: arguments).map { try JSONValue(parsing: $0) }
    }
}
