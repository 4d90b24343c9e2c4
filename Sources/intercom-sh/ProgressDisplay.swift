import Foundation
import IntercomShell
import LineEditing
import Synchronization

/// A run's progress on standard error: lines done (of the total, when the input is a regular file), the recent
/// rate, retries, failures and the time left (from the average over the last minute). On a terminal one line, cut
/// to its width, is redrawn at most 10 times a second (and cleared before records are written to the same
/// terminal); otherwise a line is printed every second.
final class ProgressDisplay: Sendable {
    /// The counters at one moment.
    private struct Sample {
        var time: ContinuousClock.Instant
        var done = 0
        var requests = 0
        var items = 0
        var rateLimited = 0
    }

    private struct State {
        var samples: [Sample] = []
        var shown = false
        var total: Int?
        var finished = false
    }

    private let control: RunControl
    private let statistics: DeliveryStatistics
    private let concurrency: ConcurrencyControl?
    private let pacing: RequestPacing?
    private let onTerminal: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    /// Starts showing the progress of the run `control` counts.
    init(control: RunControl, statistics: DeliveryStatistics, concurrency: ConcurrencyControl?, pacing: RequestPacing?, onTerminal: Bool) {
        self.control = control
        self.statistics = statistics
        self.concurrency = concurrency
        self.pacing = pacing
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
        let walked = statistics.walked
        let now = ContinuousClock.now
        let sample = Sample(
            time: now, done: counts.linesDone, requests: statistics.requests, items: walked.items, rateLimited: statistics.rateLimited)
        let waiting = pacing?.waitingUntil.map { $0 - now }
        let width = onTerminal ? TerminalSize.columns(of: STDERR_FILENO) : nil
        state.withLock { state in
            guard !state.finished else { return }
            state.samples.append(sample)
            while let first = state.samples.first, now - first.time > .seconds(60), state.samples.count > 2 { state.samples.removeFirst() }
            var progress = line(counts, now: sample, total: state.total, samples: state.samples)
            progress.walked = walked
            progress.waiting = waiting
            let text = progress.text(width: width)
            if onTerminal {
                try? OutputWriter.standardError.write("\r\u{1B}[K" + text)
                state.shown = true
            } else {
                try? OutputWriter.standardError.write(text + "\n")
            }
        }
    }

    /// The progress line at `now`: the rates shown over the last 3 seconds, the time left from the average over
    /// the last minute (`samples` reach that far back), and the requests of the last rate-limit window (10 s, over
    /// which Intercom counts) against what the whole window allows.
    private func line(_ counts: RunControl.Counts, now: Sample, total: Int?, samples: [Sample]) -> ProgressLine {
        var line = ProgressLine(done: counts.linesDone, total: total)
        line.failed = counts.failed
        line.skipped = counts.skipped
        line.retries = statistics.retries
        let origin = Sample(time: started)
        // From a sample before now (the run's start when there is none yet).
        func perSecond(_ value: KeyPath<Sample, Int>, since sample: Sample) -> Double {
            let since = sample.time < now.time ? sample : origin
            let seconds = (now.time - since.time) / .seconds(1)
            return seconds > 0 ? Double(now[keyPath: value] - since[keyPath: value]) / seconds : 0
        }
        let recent = samples.first { now.time - $0.time <= .seconds(3) } ?? origin
        let minute = samples.first ?? origin
        line.rate = perSecond(\.done, since: recent)
        line.etaRate = perSecond(\.done, since: minute)
        line.itemRate = perSecond(\.items, since: recent)
        line.etaItemRate = perSecond(\.items, since: minute)
        // What was sent since 10 seconds ago (since the start, in the first 10 seconds).
        let window = samples.last { now.time - $0.time >= .seconds(10) } ?? origin
        line.requestRate = Double(now.requests - window.requests) / 10
        line.rateLimitedLately = now.rateLimited > window.rateLimited
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
