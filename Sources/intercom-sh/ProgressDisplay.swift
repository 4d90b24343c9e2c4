import Foundation
import IntercomShell
import Synchronization

/// A run's progress on standard error: lines done (of the total, when the input is a regular file), the recent
/// rate, retries, failures and the time left. On a terminal one line is redrawn at most 10 times a second (and
/// cleared before records are written to the same terminal); otherwise a line is printed every second.
final class ProgressDisplay: Sendable {
    private struct State {
        var samples: [(time: ContinuousClock.Instant, done: Int)] = []
        var shown = false
        var total: Int?
        var finished = false
    }

    private let control: RunControl
    private let statistics: DeliveryStatistics
    private let onTerminal: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    /// Starts showing the progress of the run `control` counts.
    init(control: RunControl, statistics: DeliveryStatistics, onTerminal: Bool) {
        self.control = control
        self.statistics = statistics
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
        let now = ContinuousClock.now
        state.withLock { state in
            guard !state.finished else { return }
            state.samples.append((now, counts.linesDone))
            while let first = state.samples.first, now - first.time > .seconds(3), state.samples.count > 2 { state.samples.removeFirst() }
            let text = Self.describe(
                counts, total: state.total, retries: statistics.retries, recent: state.samples.first,
                now: (now, counts.linesDone), elapsed: now - started)
            if onTerminal {
                try? OutputWriter.standardError.write("\r\u{1B}[K" + text)
                state.shown = true
            } else {
                try? OutputWriter.standardError.write(text + "\n")
            }
        }
    }

    /// `12,345/100,000 lines (12%)  1,234 ops/s  3 retries  2 failed  ETA 1m12s`.
    static func describe(
        _ counts: RunControl.Counts, total: Int?, retries: Int, recent: (time: ContinuousClock.Instant, done: Int)?,
        now: (time: ContinuousClock.Instant, done: Int), elapsed: Duration
    ) -> String {
        var text = grouped(counts.linesDone)
        if let total, total > 0 {
            text += "/\(grouped(total)) lines (\(min(100, counts.linesDone * 100 / total))%)"
        } else {
            text += " lines"
        }
        var rate = 0.0
        if let recent, now.time > recent.time {
            rate = Double(now.done - recent.done) / ((now.time - recent.time) / .seconds(1))
        }
        if rate == 0, elapsed > .zero { rate = Double(counts.linesDone) / (elapsed / .seconds(1)) }
        text += "  \(grouped(Int(rate.rounded()))) ops/s  \(grouped(retries)) retries  \(grouped(counts.failed)) failed"
        if counts.skipped > 0 { text += "  \(grouped(counts.skipped)) skipped" }
        if let total, rate > 0, total > counts.linesDone {
            text += "  ETA " + clock(Double(total - counts.linesDone) / rate)
        }
        return text
    }

    /// `1,234,567`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 && digit != "-" && result != "-" { result += "," }
            result.append(digit)
        }
        return result
    }

    /// `45s`, `3m05s`, `2h01m`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, total % 3600 / 60)
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
