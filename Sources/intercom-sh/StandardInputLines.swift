import Foundation
import IntercomShell
import Synchronization

/// The lines of a file descriptor as an async sequence, read by a thread of its own with a bounded queue,
/// so a huge input streams with flat memory and reading never blocks Swift's concurrency threads.
final class FileDescriptorLines: AsyncSequence, Sendable {
    typealias Element = InputLine

    private struct State {
        var queue: [InputLine] = []
        var head = 0
        var finished = false
        var waiter: CheckedContinuation<InputLine?, Never>?
    }

    private let state = Mutex(State())
    private let space: DispatchSemaphore
    private let descriptor: Int32
    private let maximumLineBytes: Int

    /// Starts reading `descriptor` at once; at most `capacity` lines wait unread.
    init(descriptor: Int32, maximumLineBytes: Int, capacity: Int = 1_024) {
        self.descriptor = descriptor
        self.maximumLineBytes = maximumLineBytes
        // Start at 0 and signal up to the capacity: libdispatch traps when a semaphore is freed below its
        // initial value, which would happen if the reader stops with lines still queued.
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
            for line in splitter.feed(chunk[0..<count]) { push(line) }
        }
        for line in splitter.finish() { push(line) }
        let waiter = state.withLock { state -> CheckedContinuation<InputLine?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Ends the sequence now (the first Ctrl-C): lines not yet handed out are dropped, and a wait for the next
    /// line ends with nil even while the reading thread is still blocked on input.
    func stop() {
        let waiter = state.withLock { state -> CheckedContinuation<InputLine?, Never>? in
            state.finished = true
            state.queue.removeAll()
            state.head = 0
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    private func push(_ line: InputLine) {
        space.wait()
        let waiter = state.withLock { state -> CheckedContinuation<InputLine?, Never>? in
            if state.finished { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.queue.append(line)
            return nil
        }
        if let waiter {
            space.signal()
            waiter.resume(returning: line)
        }
    }

    fileprivate func next() async -> InputLine? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> InputLine?? in
                if state.head < state.queue.count {
                    let line = state.queue[state.head]
                    state.head += 1
                    if state.head > 4_096 && state.head * 2 > state.queue.count {
                        state.queue.removeFirst(state.head)
                        state.head = 0
                    }
                    return .some(line)
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

    /// Iterates the lines in order.
    struct AsyncIterator: AsyncIteratorProtocol {
        let source: FileDescriptorLines
        mutating func next() async -> InputLine? { await source.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: self) }
}
