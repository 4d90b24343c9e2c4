import Foundation
import IntercomShell
import Synchronization

/// A run's progress on standard error: lines done (of the total, when the input is a regular file), the recent
/// rate, retries, failures and the time left. On a terminal one line is redrawn at most 10 times a second (and
/// cleared before records are written to the same terminal); otherwise a line is printed every second.
final class ProgressDisplay: Sendable {
    private struct State {
        var samples: [(time: ContinuousClock.Instant, done: Int, requests: Int, items: Int)] = []
        var shown = false
        var total: Int?
        var finished = false
    }

    private let control: RunControl
    private let statistics: DeliveryStatistics
    private let concurrency: ConcurrencyControl?
    private let onTerminal: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    /// Starts showing the progress of the run `control` counts.
    init(control: RunControl, statistics: DeliveryStatistics, concurrency: ConcurrencyControl?, onTerminal: Bool) {
        self.control = control
        self.statistics = statistics
        self.concurrency = concurrency
        self.onTerminal = onTerminal
        let interval: Duration = onTerminal ? .milliseconds(100) : .seconds(1)
        ticker.withLock {
            $0 = Task.detached { [weak self] in
                while (try? await Task.sleep(for: interval)) != nil {
                    guard let self else { return }
                    self.draw()
                }
            }
        }
    }

    /// Sets the number of lines the input has, once it is known.
    func setTotal(_ total: Int) {
        state.withLock { $0.total = total }
    }

    /// Runs `write` (which writes to the terminal the progress line is on) with the progress line cleared first.
    func interleave(_ write: () throws -> Void) rethrows {
        try state.withLock { state in
            if state.shown {
                try? OutputWriter.standardError.write("\r\u{1B}[K")
                state.shown = false
            }
            try write()
        }
    }

    /// Stops updating and clears the progress line.
    func finish() {
        ticker.withLock { $0?.cancel() }
        state.withLock { state in
            state.finished = true
            if state.shown { try? OutputWriter.standardError.write("\r\u{1B}[K") }
            state.shown = false
        }
    }

    private func draw() {
        let counts = control.counts
        let requests = statistics.requests
        let walked = statistics.walked
        let now = ContinuousClock.now
        state.withLock { state in
            guard !state.finished else { return }
            state.samples.append((now, counts.linesDone, requests, walked.items))
            while let first = state.samples.first, now - first.time > .seconds(10), state.samples.count > 2 { state.samples.removeFirst() }
            let recent = state.samples.first { now - $0.time <= .seconds(3) }
            var progress = line(counts, requests: requests, total: state.total, since: recent, windowSince: state.samples.first, now: now)
            progress.walked = walked
            if let recent, now > recent.time { progress.itemRate = Double(walked.items - recent.items) / ((now - recent.time) / .seconds(1)) }
            let text = progress.text
            if onTerminal {
                try? OutputWriter.standardError.write("\r\u{1B}[K" + text)
                state.shown = true
            } else {
                try? OutputWriter.standardError.write(text + "\n")
            }
        }
    }

    /// The progress line now: lines per second since `since` (the last 3 seconds), requests per second since
    /// `windowSince` (the last 10 seconds, a rate-limit window of Intercom's, over which bursts even out).
    private func line(
        _ counts: RunControl.Counts, requests: Int, total: Int?, since first: (time: ContinuousClock.Instant, done: Int, requests: Int, items: Int)?,
        windowSince: (time: ContinuousClock.Instant, done: Int, requests: Int, items: Int)?, now: ContinuousClock.Instant
    ) -> ProgressLine {
        var line = ProgressLine(done: counts.linesDone, total: total)
        line.failed = counts.failed
        line.skipped = counts.skipped
        line.retries = statistics.retries
        let (from, done, _, _) = first.flatMap { now > $0.time ? $0 : nil } ?? (started, 0, 0, 0)
        if now > from { line.rate = Double(counts.linesDone - done) / ((now - from) / .seconds(1)) }
        let (windowFrom, _, sent, _) = windowSince.flatMap { now > $0.time ? $0 : nil } ?? (started, 0, 0, 0)
        if now > windowFrom { line.requestRate = Double(requests - sent) / ((now - windowFrom) / .seconds(1)) }
        if let concurrency {
            line.inFlight = concurrency.requestsInFlight
            line.limit = concurrency.limit
            line.allowedRate = concurrency.allowedRate
        }
        return line
    }

    /// Counts the lines of the regular file open at `descriptor` without moving its offset, or nil when it is
    /// not a regular file (a pipe or a terminal has no total); an empty file has none either.
    static func countLines(descriptor: Int32) -> Int? {
        // pread fails on a pipe or a terminal (ESPIPE); on a file it reads without moving the offset the reading
        // thread shares.
        var probe: UInt8 = 0
        guard pread(descriptor, &probe, 1, 0) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: off_t = 0
        var lines = 0
        var last: UInt8 = 10
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            lines += buffer[0..<count].count { $0 == 10 }
            last = buffer[count - 1]
            offset += off_t(count)
        }
        return lines + (last == 10 ? 0 : 1)
    }
}
