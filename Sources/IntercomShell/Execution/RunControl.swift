import Synchronization

/// Shared between a running ``PipelineRunner`` and whoever watches it: a request to stop reading (the first
/// Ctrl-C), and live counts for a progress display.
public final class RunControl: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let totals = Mutex(Counts())

    /// Live totals of a run.
    public struct Counts: Sendable, Hashable {
        /// Lines with a final outcome (skipped ones included).
        public var linesDone = 0
        /// Records with `ok: true`.
        public var succeeded = 0
        /// Records with `ok: false`.
        public var failed = 0
        /// Lines skipped because the journal says they are done.
        public var skipped = 0
    }

    /// Creates a control with nothing counted.
    public init() {}

    /// Asks the runner to read no further lines; operations in flight finish and their records are written.
    public func stopReading() {
        stopping.store(true, ordering: .relaxed)
    }

    /// Whether ``stopReading()`` was called.
    public var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Sleeps until `deadline`, ending early by throwing ``Stopped`` when `control` is asked to stop (checked every
    /// 50 ms) or `CancellationError` when the task is cancelled.
    public static func sleep(until deadline: ContinuousClock.Instant, unless control: RunControl?) async throws {
        while ContinuousClock.now < deadline {
            if control?.isStopping == true { throw Stopped() }
            try await Task.sleep(until: min(deadline, .now + .milliseconds(50)), clock: .continuous)
        }
    }

    /// A wait ended by a stop request.
    public struct Stopped: Error {}

    /// The totals so far.
    public var counts: Counts { totals.withLock { $0 } }

    func count(_ change: (inout Counts) -> Void) {
        totals.withLock { change(&$0) }
    }
}
