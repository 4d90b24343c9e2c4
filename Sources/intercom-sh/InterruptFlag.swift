import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into cancellation of a task, and remembers that it happened (for exit status 130).
final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Whether a signal arrived.
    var isSet: Bool { flag.load(ordering: .acquiring) }

    /// Cancels `task` on the first SIGINT or SIGTERM; cancel the returned task to stop watching.
    func cancelOnSignal<T>(_ task: Task<T, Never>) -> Task<Void, Never> {
        Task {
            _ = await TerminationSignal.wait()
            flag.store(true, ordering: .releasing)
            task.cancel()
        }
    }
}
