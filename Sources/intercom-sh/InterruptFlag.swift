import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into cancellation of a task, and remembers that it happened (for exit status 130).
///
/// The handlers are installed when the flag is made, before any work starts, so a signal that arrives early is
/// not lost (and does not kill the process with its default action).
final class InterruptFlag {
    private final class Shared: Sendable {
        let state = Mutex<(set: Bool, cancel: (@Sendable () -> Void)?)>((false, nil))
    }

    private let shared = Shared()
    private var sources: [any DispatchSourceSignal] = []

    init() {
        let queue = DispatchQueue(label: "intercom-sh.signals")
        let shared = shared
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let cancel = shared.state.withLock { state -> (@Sendable () -> Void)? in
                    state.set = true
                    return state.cancel
                }
                cancel?()
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// Whether a signal arrived.
    var isSet: Bool { shared.state.withLock { $0.set } }

    /// Cancels `task` on SIGINT or SIGTERM (at once if one already arrived).
    func cancelOnSignal<T: Sendable>(_ task: Task<T, Never>) {
        let alreadySet = shared.state.withLock { state -> Bool in
            state.cancel = { task.cancel() }
            return state.set
        }
        if alreadySet { task.cancel() }
    }
}
