import Foundation
import Synchronization

/// The lines of a file descriptor (standard input, a script file) as an async sequence, read by a thread of its own
/// into a bounded queue of batches (the lines of one read each), so a huge input streams with flat memory, reading
/// never blocks Swift's concurrency threads, and the two sides meet once a batch rather than once a line.
public final class FileDescriptorLines: AsyncSequence, Sendable {
    /// One line, numbered from 1.
    public typealias Element = InputLine

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
    private let closesDescriptor: Bool
    private let willWait: (@Sendable () -> Void)?

    /// Starts reading `descriptor` at once; at most `capacity` batches (reads of 64 KiB) wait unread. `willWait` is
    /// called whenever the consumer has used up every line read so far and must wait for more (to flush output).
    /// With `closesDescriptor`, the descriptor is closed once reading ends.
    public init(
        descriptor: Int32, maximumLineBytes: Int, capacity: Int = 16, closesDescriptor: Bool = false, willWait: (@Sendable () -> Void)? = nil
    ) {
        self.descriptor = descriptor
        self.maximumLineBytes = maximumLineBytes
        self.closesDescriptor = closesDescriptor
        self.willWait = willWait
        // Start at 0 and signal up to the capacity: libdispatch traps when a semaphore is freed below its
        // initial value, which would happen if the reader stops with batches still queued.
        self.space = DispatchSemaphore(value: 0)
        for _ in 0..<capacity { space.signal() }
        let thread = Thread { [self] in self.readAll() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The lines of the file at `path`, streamed (the descriptor closed at the end); or why it cannot be read.
    public static func open(_ path: String, maximumLineBytes: Int) -> Result<FileDescriptorLines, InputError> {
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(InputError("cannot read \(path): \(String(cString: strerror(errno)))")) }
        // A directory opens, but reading it fails: say so now rather than run an empty file.
        var probe: UInt8 = 0
        if pread(descriptor, &probe, 0, 0) < 0 {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            return .failure(InputError("cannot read \(path): \(reason)"))
        }
        return .success(FileDescriptorLines(descriptor: descriptor, maximumLineBytes: maximumLineBytes, closesDescriptor: true))
    }

    private func readAll() {
        var splitter = LineSplitter(maximumLineBytes: maximumLineBytes)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            let lines = splitter.feed(chunk[0..<count])
            if !lines.isEmpty, !push(lines) { break }
        }
        let last = splitter.finish()
        if !last.isEmpty { push(last) }
        finish(droppingQueued: false)
        if closesDescriptor { close(descriptor) }
    }

    /// Ends the sequence now (the first Ctrl-C, or a run that stopped before the end of a file): lines not yet
    /// handed out are dropped, a wait for the next line ends with nil even while the reading thread is still
    /// blocked on input, and a reading thread waiting for room goes on to end.
    public func stop() {
        finish(droppingQueued: true)
        space.signal()
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

    /// Queues a batch, waiting for room; false once the sequence has ended (nothing more is wanted).
    @discardableResult
    private func push(_ batch: [InputLine]) -> Bool {
        space.wait()
        let (waiter, wanted) = state.withLock { state -> (CheckedContinuation<[InputLine]?, Never>?, Bool) in
            if state.finished { return (nil, false) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, true)
            }
            state.batches.append(batch)
            return (nil, true)
        }
        if !wanted { space.signal() }
        if let waiter {
            space.signal()
            waiter.resume(returning: batch)
        }
        return wanted
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
    public struct AsyncIterator: AsyncIteratorProtocol {
        let source: FileDescriptorLines
        var batch: [InputLine] = []
        var index = 0

        /// The next line, or nil at the end.
        public mutating func next() async -> InputLine? {
            while index >= batch.count {
                guard let next = await source.nextBatch() else { return nil }
                batch = next
                index = 0
            }
            defer { index += 1 }
            return batch[index]
        }
    }

    /// Starts at the first line not yet handed out.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: self) }
}
