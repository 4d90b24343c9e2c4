import Hummingbird
import IntercomKit

/// The sandbox's own endpoints, for tests and benchmarks, behind the v1 credentials: `GET /_sandbox/stats` (counts,
/// and the requests admitted in each of the last 720 rate-limit windows), `GET /_sandbox/events` and
/// `GET /_sandbox/notes` (the last 100).
struct SandboxControlRoutes: Sendable {
    let store: SandboxStore
    let limiter: FixedWindowRateLimiter
    let counters: SandboxCounters

    /// The routes, to add at `_sandbox`.
    func routes() -> RouteCollection<SandboxContext> {
        let routes = RouteCollection(context: SandboxContext.self)
        routes.get("stats") { _, _ in SandboxAnswer.json(try statistics(), status: 200) }
        routes.get("events") { _, _ in SandboxAnswer.json(.array(try store.recentEvents()), status: 200) }
        routes.get("notes") { _, _ in SandboxAnswer.json(.array(try store.recentNotes()), status: 200) }
        return routes
    }

    private func statistics() throws(SandboxError) -> JSONValue {
        let store = try store.statistics()
        let counts = counters.snapshot
        return .object([
            "users": .integer(Int64(store.users)), "tags": .integer(Int64(store.tags)),
            "threads": .integer(Int64(store.threads)), "messages": .integer(Int64(store.messages)),
            "notes": .integer(Int64(store.notes)), "impressions": .integer(Int64(store.impressions)),
            "events": .integer(Int64(store.events)), "requests": .integer(Int64(counts.requests)),
            "rate_limited": .integer(Int64(counts.rateLimited)), "unauthorized": .integer(Int64(counts.unauthorized)),
            "faults": .object(counts.faults.mapValues { .integer(Int64($0)) }),
            "rate_limit": .string(limiter.rule.description),
            "windows": .array(limiter.recentWindows().map { ["start": .integer($0.start), "admitted": .integer(Int64($0.admitted))] }),
        ])
    }
}
