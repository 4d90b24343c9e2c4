import Foundation
import IntercomShell
import Synchronization

/// The lines of a file descriptor as an async sequence, read by a thread of its own into a bounded queue of
/// batches (the lines of one read each), so a huge input streams with flat memory, reading never blocks Swift's
/// concurrency threads, and the two sides meet once a batch rather than once a line.
final class FileDescriptorLines: AsyncSequence, Sendable {
    typealias Element = InputLine

    private struct State {
        var batches: [[InputLine]] = []
        var head = 0
        var finished = false
        var waiter: CheckedContinuation<[InputLine]?, Never>?
    }

    private let state = Mutex(State())
    private let space: DispatchSemaphore
    private let descriptor: Int32
    private let maximumLineBytes: Int
    private let willWait: (@Sendable () -> Void)?

    /// Starts reading `descriptor` at once; at most `capacity` batches (reads of 64 KiB) wait unread. `willWait` is
    /// called whenever the consumer has used up every line read so far and must wait for more (to flush output).
    init(descriptor: Int32, maximumLineBytes: Int, capacity: Int = 16, willWait: (@Sendable () -> Void)? = nil) {
        self.descriptor = descriptor
        self.maximumLineBytes = maximumLineBytes
        self.willWait = willWait
        // Start at 0 and signal up to the capacity: libdispatch traps when a semaphore is freed below its
        // initial value, which would happen if the reader stops with batches still queued.
        self.space = DispatchSemaphore(value: 0)
        for _ in 0..<capacity { space.signal() }
        let thread = Thread { [self] in self.readAll() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func readAll() {
        var splitter = LineSplitter(maximumLineBytes: maximumLineBytes)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            let lines = splitter.feed(chunk[0..<count])
            if !lines.isEmpty { push(lines) }
        }
        let last = splitter.finish()
        if !last.isEmpty { push(last) }
        finish(droppingQueued: false)
    }

    /// Ends the sequence now (the first Ctrl-C): lines not yet handed out are dropped, and a wait for the next
    /// line ends with nil even while the reading thread is still blocked on input.
    func stop() {
        finish(droppingQueued: true)
    }

    /// Marks the input finished (dropping what is queued, if asked) and ends a wait for the next batch.
    private func finish(droppingQueued: Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<[InputLine]?, Never>? in
            state.finished = true
            if droppingQueued {
                state.batches.removeAll()
                state.head = 0
            }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    private func push(_ batch: [InputLine]) {
        space.wait()
        let waiter = state.withLock { state -> CheckedContinuation<[InputLine]?, Never>? in
            if state.finished { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.batches.append(batch)
            return nil
        }
        if let waiter {
            space.signal()
            waiter.resume(returning: batch)
        }
    }

    fileprivate func nextBatch() async -> [InputLine]? {
        if let willWait, state.withLock({ $0.head >= $0.batches.count && !$0.finished }) { willWait() }
        return await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [InputLine]?? in
                if state.head < state.batches.count {
                    let batch = state.batches[state.head]
                    state.batches[state.head] = []
                    state.head += 1
                    if state.head == state.batches.count {
                        state.batches.removeAll(keepingCapacity: true)
                        state.head = 0
                    }
                    return .some(batch)
                }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let ready {
                if ready != nil { space.signal() }
                continuation.resume(returning: ready)
            }
        }
    }

    /// Iterates the lines in order, a batch at a time.
    struct AsyncIterator: AsyncIteratorProtocol {
        let source: FileDescriptorLines
        var batch: [InputLine] = []
        var index = 0

        mutating func next() async -> InputLine? {
            while index >= batch.count {
                guard let next = await source.nextBatch() else { return nil }
                batch = next
                index = 0
            }
            defer { index += 1 }
            return batch[index]
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: self) }
}
