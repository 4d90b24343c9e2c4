import Synchronization

/// What the server has seen: requests, 429s and injected faults, for `GET /_sandbox/stats`.
final class SandboxCounters: Sendable {
    struct Values {
        var requests = 0
        var rateLimited = 0
        var unauthorized = 0
        var faults: [String: Int] = [:]
    }

    private let values = Mutex(Values())

    func count(_ update: (inout Values) -> Void) {
        values.withLock { update(&$0) }
    }

    var snapshot: Values { values.withLock { $0 } }
}
