/// When a concurrent run starts its operations and publishes their outcomes: a pure state machine that takes
/// events and returns the actions to carry out, in order. The runner does the I/O.
///
/// The rules:
/// - Every line read gets the next sequence number; outcomes are published in sequence order through a reorder
///   window, or as they finish when the run is not `ordered`.
/// - An operation starts only when no earlier operation, running or parked, holds one of its ordering keys, so
///   operations on one user, tag or thread keep their input order while others overtake them. The names an
///   operation gives its one contact (user_id, email, id: its identity) are one contact's: an operation naming any of
///   them also takes the names pending operations gave that contact, so `create user 1 email=a`, then `update
///   user email=a user_id=2` and `delete user 1` keep their order.
/// - At most `limit` operations run at once, and the very first runs alone until it has finished (a refused api key
///   then ends the run after one request, not `limit`).
/// - Once stopped, nothing starts: parked operations are published as dropped, in their order.
public struct OrderedScheduler<Job: Sendable, Outcome: Sendable>: Sendable {
    /// What the runner must do, in the order given.
    public enum Action: Sendable {
        /// Start `job`, which has sequence number `sequence`; report its outcome with ``finished(_:_:)``.
        case start(sequence: Int, Job)
        /// Publish the outcome of `sequence`: records, journal, totals.
        case publish(sequence: Int, Outcome)
        /// Publish that `sequence` was read but never started (the run stopped first).
        case drop(sequence: Int, Job)
    }

    private struct Parked: Sendable {
        var sequence: Int
        var job: Job
        var keys: Set<OrderingKey>
    }

    /// Whether outcomes are published in input order.
    public let ordered: Bool
    /// The most outcomes and parked operations held back before the reader must wait.
    public let window: Int
    /// Operations started and not yet finished.
    public private(set) var inFlight = 0
    /// Whether the run has stopped: nothing more starts.
    public private(set) var isStopped = false

    private var firstFinished = false
    private var running: [Int: Set<OrderingKey>] = [:]
    private var heldKeys: [OrderingKey: Int] = [:]
    private var parked: [Parked] = []
    /// The identity of each pending operation, and the pending operations that hold each name in theirs.
    private var identities: [Int: Set<OrderingKey>] = [:]
    private var identityHolders: [OrderingKey: Set<Int>] = [:]
    private var held: [Int: Action] = [:]
    private var nextSequence = 0
    private var nextToPublish = 0

    /// A scheduler that publishes in input order (or not), holding back at most `window` lines.
    public init(ordered: Bool = true, window: Int) {
        self.ordered = ordered
        self.window = max(1, window)
    }

    /// Operations that may run at once under `limit`: one until the first has finished.
    public func effectiveLimit(_ limit: Int) -> Int {
        firstFinished ? max(1, limit) : 1
    }

    /// Whether nothing is running, parked or waiting to be published: a line may run in place.
    public var isIdle: Bool { inFlight == 0 && parked.isEmpty && held.isEmpty }

    /// Whether the reader must wait for an operation to finish before reading on: the limit is reached, or the
    /// reorder window is full.
    public func mustWait(limit: Int) -> Bool {
        inFlight > 0 && (inFlight >= effectiveLimit(limit) || parked.count + held.count >= window)
    }

    /// A line read: `job` will start once no earlier line holds one of `keys` and there is room (see ``admit(limit:)``).
    /// `identity` holds the names the line gives its one contact (empty when it names no single contact): the names
    /// pending lines gave that same contact join its keys.
    public mutating func submit(_ job: Job, keys: Set<OrderingKey>, identity: Set<OrderingKey> = []) -> [Action] {
        let sequence = takeSequence()
        if isStopped { return publishing(sequence, .drop(sequence: sequence, job)) }
        var names = identity
        for key in identity {
            for holder in identityHolders[key] ?? [] { names.formUnion(identities[holder] ?? []) }
        }
        if !names.isEmpty {
            identities[sequence] = names
            for key in names { identityHolders[key, default: []].insert(sequence) }
        }
        parked.append(Parked(sequence: sequence, job: job, keys: keys.union(names)))
        return []
    }

    /// Forgets the identity of a line that is no longer pending.
    private mutating func release(identityOf sequence: Int) {
        for key in identities.removeValue(forKey: sequence) ?? [] {
            identityHolders[key]?.remove(sequence)
            if identityHolders[key]?.isEmpty == true { identityHolders[key] = nil }
        }
    }

    /// A line whose outcome is known at once (unreadable, help, a refusal): published in its turn.
    public mutating func submit(finished outcome: Outcome) -> [Action] {
        let sequence = takeSequence()
        return publishing(sequence, .publish(sequence: sequence, outcome))
    }

    /// Takes the next sequence number for a line that runs in place, by itself: only when ``isIdle``.
    public mutating func takeTurnInPlace() -> Int {
        precondition(isIdle, "a line runs in place only when nothing else is pending")
        let sequence = takeSequence()
        nextToPublish = sequence + 1
        return sequence
    }

    /// The operation `sequence` finished with `outcome`: its keys are free, and what is now next is published.
    public mutating func finished(_ sequence: Int, _ outcome: Outcome) -> [Action] {
        guard let keys = running.removeValue(forKey: sequence) else { preconditionFailure("\(sequence) was not running") }
        inFlight -= 1
        firstFinished = true
        release(identityOf: sequence)
        for key in keys {
            heldKeys[key, default: 1] -= 1
            if heldKeys[key] == 0 { heldKeys[key] = nil }
        }
        return publishing(sequence, .publish(sequence: sequence, outcome))
    }

    /// Starts, in input order, every parked operation whose keys no earlier operation holds, while fewer than
    /// `limit` run.
    public mutating func admit(limit: Int) -> [Action] {
        guard !isStopped else { return [] }
        var actions: [Action] = []
        var blocked = Set<OrderingKey>()
        var index = 0
        while index < parked.count && inFlight < effectiveLimit(limit) {
            let item = parked[index]
            if item.keys.isDisjoint(with: blocked) && !item.keys.contains(where: { heldKeys[$0] != nil }) {
                parked.remove(at: index)
                start(item, into: &actions)
            } else {
                blocked.formUnion(item.keys)
                index += 1
            }
        }
        return actions
    }

    /// Stops the run: parked operations are dropped (published as such, in order) and nothing starts again.
    /// Operations in flight still finish and are published.
    public mutating func stop() -> [Action] {
        isStopped = true
        let dropped = parked
        parked.removeAll()
        for item in dropped { release(identityOf: item.sequence) }
        return dropped.flatMap { publishing($0.sequence, .drop(sequence: $0.sequence, $0.job)) }
    }

    private mutating func takeSequence() -> Int {
        defer { nextSequence += 1 }
        return nextSequence
    }

    private mutating func start(_ item: Parked, into actions: inout [Action]) {
        inFlight += 1
        running[item.sequence] = item.keys
        for key in item.keys { heldKeys[key, default: 0] += 1 }
        actions.append(.start(sequence: item.sequence, item.job))
    }

    /// `action` for `sequence`, and every held action it unblocks, in input order (at once when unordered).
    private mutating func publishing(_ sequence: Int, _ action: Action) -> [Action] {
        guard ordered else { return [action] }
        held[sequence] = action
        var actions: [Action] = []
        while let ready = held.removeValue(forKey: nextToPublish) {
            actions.append(ready)
            nextToPublish += 1
        }
        return actions
    }
}
