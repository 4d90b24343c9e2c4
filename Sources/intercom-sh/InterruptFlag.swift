import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT, SIGTERM and SIGHUP (the terminal closed) into actions, and remembers that one arrived (for exit
/// status 130): records of what was applied are flushed rather than lost to the default action.
///
/// The first signal calls the `first` action (stop reading, let operations in flight finish); any later one calls
/// `again` (abandon what is in flight). The handlers are installed when the flag is made, before any work starts,
/// so a signal that arrives early is not lost (and does not kill the process with its default action).
final class InterruptFlag {
    private struct Actions {
        var count = 0
        var first: (@Sendable () -> Void)?
        var again: (@Sendable () -> Void)?
    }

    private final class Shared: Sendable {
        let state = Mutex(Actions())
    }

    private let shared = Shared()
    private var sources: [any DispatchSourceSignal] = []

    init() {
        let queue = DispatchQueue(label: "intercom-sh.signals")
        let shared = shared
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let action = shared.state.withLock { state -> (@Sendable () -> Void)? in
                    state.count += 1
                    return state.count == 1 ? state.first : state.again
                }
                action?()
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// Whether a signal arrived.
    var isSet: Bool { shared.state.withLock { $0.count > 0 } }

    /// Calls `first` on the first signal and `again` on any later one (at once for signals that already arrived).
    func onSignal(first: @escaping @Sendable () -> Void, again: @escaping @Sendable () -> Void) {
        let count = shared.state.withLock { state -> Int in
            state.first = first
            state.again = again
            return state.count
        }
        if count >= 1 { first() }
        if count >= 2 { again() }
    }

    /// Cancels `task` on SIGINT or SIGTERM (at once if one already arrived).
    func cancelOnSignal<T: Sendable>(_ task: Task<T, Never>) {
        onSignal(first: { task.cancel() }, again: { task.cancel() })
    }
}
