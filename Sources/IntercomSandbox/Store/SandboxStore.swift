public import Foundation
public import IntercomKit
import OrderedCollections
import Synchronization

/// The sandbox's data: users, tags, message threads, notes and events, in memory, safe under concurrent requests.
///
/// Users are kept in creation order with hash indexes on user_id and email (case-insensitive), so lookups stay
/// O(1) and a page of the user list is a slice, however many users there are.
public final class SandboxStore: Sendable {
    struct State {
        var users: OrderedDictionary<Int, UserRecord> = [:]
        var sequenceByUserID: [String: Int] = [:]
        var sequenceByEmail: [String: Int] = [:]
        var nextSequence = 1
        var tags: [String: TagRecord] = [:]
        var tagNameByID: [String: String] = [:]
        var threads: [Int64: ThreadRecord] = [:]
        var threadIDsByOwner: [Int: [Int64]] = [:]
        var nextThreadID: Int64 = 1
        var notes: [NoteRecord] = []
        var impressionCount = 0
        var events: [EventRecord] = []
        /// The events received, to tell a repeated delivery from a new event.
        var eventFingerprints: Set<String> = []
        var idCounter: UInt64 = 0
    }

    let state = Mutex(State())
    let clock: @Sendable () -> Int64

    /// Creates a store holding `seed`; `clock` gives the current Unix time (the wall clock by default).
    public init(seed: SandboxSeed = .empty, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.clock = clock
        if seed == .demo { loadDemoSeed() }
    }

    /// Counts of what the store holds.
    public var statistics: SandboxStatistics {
        state.withLock { state in
            SandboxStatistics(
                users: state.users.count,
                tags: state.tags.count,
                threads: state.threads.count,
                messages: state.threads.values.reduce(0) { $0 + $1.messages.count },
                notes: state.notes.count,
                impressions: state.impressionCount,
                events: state.events.count)
        }
    }

    /// The most recent notes written, oldest first, at most `limit`: `{"user_id", "email", "body", "created_at"}`.
    public func recentNotes(limit: Int = 100) -> [JSONValue] {
        state.withLock { state in
            state.notes.suffix(limit).map { note in
                let user = state.users[note.userSequence]
                return [
                    "user_id": user?.userID.map(JSONValue.string) ?? .null, "email": user?.email.map(JSONValue.string) ?? .null,
                    "body": .string(note.body), "created_at": .integer(note.created),
                ]
            }
        }
    }

    /// The most recent events received, oldest first, at most `limit`.
    public func recentEvents(limit: Int = 100) -> [JSONValue] {
        state.withLock { state in state.events.suffix(limit).map(\.json) }
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

extension SandboxStore.State {
    /// A fresh 24-hex-digit id, like Intercom's ObjectIds: the time, then a counter.
    mutating func makeID(now: Int64) -> String {
        idCounter += 1
        let time = String(UInt32(truncatingIfNeeded: now), radix: 16)
        let counter = String(idCounter, radix: 16)
        return String(repeating: "0", count: 8 - time.count) + time + String(repeating: "0", count: 16 - counter.count) + counter
    }

    /// The sequence number of the user a request names: by user_id first, then by email.
    func sequence(userID: String?, email: String?) -> Int? {
        if let userID, let sequence = sequenceByUserID[userID] { return sequence }
        if let email, let sequence = sequenceByEmail[email.lowercased()] { return sequence }
        return nil
    }

    /// The user a request names, or the v1 API's refusal: 400 without an identifier, 404 when unknown.
    func existingSequence(userID: String?, email: String?) throws(SandboxError) -> Int {
        guard userID != nil || email != nil else { throw SandboxError.missingIdentifier }
        guard let sequence = sequence(userID: userID, email: email) else { throw SandboxError.notFound("User") }
        return sequence
    }
}
