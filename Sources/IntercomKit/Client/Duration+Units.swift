import Foundation

/// The one way durations are turned into numbers and text, everywhere intercom-sh shows or stores one.
extension Duration {
    /// Whole nanoseconds.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Milliseconds, with their fraction.
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }

    /// Milliseconds with one decimal: `12.5 ms`.
    public var millisecondsText: String {
        String(format: "%.1f ms", milliseconds)
    }

    /// Seconds with one decimal: `12.5 s`.
    public var secondsText: String {
        String(format: "%.1f s", self / .seconds(1))
    }

    /// Seconds as set: `30 s`, or `0.5 s` when not whole.
    public var secondsDescription: String {
        let seconds = Double(nanoseconds) / 1e9
        return seconds == seconds.rounded() ? "\(Int64(seconds)) s" : "\(seconds) s"
    }
}
