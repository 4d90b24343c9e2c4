public import IntercomKit

/// What running an operation may change; its retries, journaling and dry run follow from it.
public enum OperationEffect: Sendable, Hashable {
    /// It only reads: repeating it never changes anything.
    case read
    /// It writes, and repeating it leaves things as one run would (an upsert, a `PUT`, an event with a fixed
    /// `created`).
    case idempotentWrite
    /// It writes, and repeating it may apply it twice (a note, a message, a `POST`).
    case write

    /// Whether an attempt may be sent again after an answer that leaves its outcome open.
    public var isSafeToRepeat: Bool { self != .write }
}

/// What one v1 call of an operation sends.
public enum V1Call: Sendable, Hashable {
    /// One request.
    case single(IntercomRequest)
    /// Every page of `GET /users` from page 1 (one record per user).
    case userPages(perPage: Int, tagID: String?, tagName: String?)
}

/// One operation, defined in one place: its name and parameters, its effect, what it must not overtake, its
/// commands, and a plan for each API that has it (none means `unsupported` on that API).
public struct OperationDefinition: Sendable {
    /// Builds the v1 call from checked parameters; `now` is the Unix time for a missing event `created`.
    public typealias V1Builder = @Sendable (CheckedParameters, () -> Int64) throws -> V1Call
    /// Builds what the operation asks of the REST API (2.x).
    public typealias RestBuilder = @Sendable (Operation, CheckedParameters, () -> Int64) throws(ResultRecord.Failure) -> RestGoal

    /// The operation's name (`op`).
    public let name: OperationName
    /// Its parameters, in the order help lists them.
    public let parameters: [ParameterSpec]
    /// What running it may change, for the given parameters.
    public let effectOf: @Sendable (JSONObject) -> OperationEffect
    /// Whether, for the given parameters, it answers with one record per item over pages (journaled after them).
    public let yieldsItemsOf: @Sendable (JSONObject) -> Bool
    /// What it must not overtake when lines run concurrently.
    public let ordering: OrderingRule
    /// Its commands in the command language.
    public let commands: [CommandSpec]
    /// Its v1 call, or nil when v1 has no counterpart.
    public let v1: V1Builder?
    /// Its REST API (2.x) goal, or nil when 2.x has no counterpart.
    public let rest: RestBuilder?

    /// Defines an operation whose effect and shape depend on its parameters.
    public init(
        name: OperationName, parameters: [ParameterSpec], effectOf: @escaping @Sendable (JSONObject) -> OperationEffect,
        yieldsItemsOf: @escaping @Sendable (JSONObject) -> Bool, ordering: OrderingRule, commands: [CommandSpec], v1: V1Builder?,
        rest: RestBuilder?
    ) {
        self.name = name
        self.parameters = parameters
        self.effectOf = effectOf
        self.yieldsItemsOf = yieldsItemsOf
        self.ordering = ordering
        self.commands = commands
        self.v1 = v1
        self.rest = rest
    }

    /// Defines an operation with one effect whatever its parameters.
    public init(
        name: OperationName, parameters: [ParameterSpec], effect: OperationEffect, yieldsItems: Bool = false,
        ordering: OrderingRule = .names(), commands: [CommandSpec], v1: V1Builder?, rest: RestBuilder?
    ) {
        self.init(
            name: name, parameters: parameters, effectOf: { _ in effect }, yieldsItemsOf: { _ in yieldsItems }, ordering: ordering,
            commands: commands, v1: v1, rest: rest)
    }

    /// The effect when nothing is known of the parameters: the least safe one they could give.
    public var effect: OperationEffect { effectOf([:]) }
}

/// What an operation must not overtake when lines run concurrently.
public struct OrderingRule: Sendable {
    /// The keys a line is ordered by beyond the names every operation is ordered by (user_id, email, id, user_ids,
    /// emails, thread_id); nil when the line reads or writes app-wide state (a list) and so runs alone, after
    /// everything before it.
    public let extraKeys: @Sendable (Operation) -> Set<OrderingKey>?

    /// Ordered by the keys `extraKeys` gives (nil: runs alone).
    public init(extraKeys: @escaping @Sendable (Operation) -> Set<OrderingKey>?) {
        self.extraKeys = extraKeys
    }

    /// Ordered with the lines that share one of its names, and `extra` keys.
    public static func names(extra: @escaping @Sendable (Operation) -> Set<OrderingKey> = { _ in [] }) -> OrderingRule {
        OrderingRule { extra($0) }
    }

    /// Runs alone, after everything before it.
    public static let everything = OrderingRule { _ in nil }
}
