public import Foundation
public import IntercomKit

/// How the pretty and table views show times (`--time`, `set time`): NDJSON and JSON output always keep the
/// numbers the server sent.
public enum TimeDisplay: String, Sendable, CaseIterable {
    /// Unix seconds, as sent.
    case epoch
    /// ISO 8601 in the local time zone (`TZ`), with its offset: `2010-04-27T02:26:40+02:00`.
    case local
    /// ISO 8601 in UTC: `2010-04-27T00:26:40Z`.
    case utc
}

/// Shows the times of a result as dates, for people.
///
/// A time is a number under a key that ends in `_at` or is `created` (Unix seconds, the form both API versions
/// use), from year 1 to 9999; anything else is left as it is.
public struct TimeFormatter: Sendable {
    /// How times are shown.
    public var display: TimeDisplay { didSet { style = Self.style(display, localZone) } }
    /// The zone of ``TimeDisplay/local``.
    public var localZone: TimeZone { didSet { style = Self.style(display, localZone) } }
    /// The format of ``text(unixSeconds:)``, made once for the display and zone rather than for every time shown.
    private var style: Date.ISO8601FormatStyle

    /// Creates a formatter; `localZone` defaults to the process's (`TZ`).
    public init(display: TimeDisplay = .local, localZone: TimeZone = .current) {
        self.display = display
        self.localZone = localZone
        style = Self.style(display, localZone)
    }

    private static func style(_ display: TimeDisplay, _ localZone: TimeZone) -> Date.ISO8601FormatStyle {
        Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: display == .utc ? TimeZone(secondsFromGMT: 0)! : localZone)
    }

    /// Whether a member called `key` holds a time.
    public static func isTimeKey(_ key: some StringProtocol) -> Bool {
        key.hasSuffix("_at") || key == "created"
    }

    /// The first and last Unix second shown as a date (0001-01-02 to 9999-12-31, midnight UTC, so that every zone
    /// shows a four-digit year).
    static let representable: ClosedRange<Int64> = -62_135_510_400...253_402_214_400

    /// `seconds` as text in the chosen display.
    public func text(unixSeconds seconds: Int64) -> String {
        guard display != .epoch, Self.representable.contains(seconds) else { return String(seconds) }
        return Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(style)
    }

    /// The text of a member's value when it is a time (`key` is its name), or `nil`.
    public func text(of value: JSONValue, key: some StringProtocol) -> String? {
        Self.isTimeKey(key) ? text(ofTime: value) : nil
    }

    /// The text of `value` as a time (a whole number of Unix seconds), or nil when it is none or times are shown
    /// as numbers.
    public func text(ofTime value: JSONValue) -> String? {
        guard display != .epoch else { return nil }
        switch value {
        case .integer(let seconds): return text(unixSeconds: seconds)
        case .double(let seconds) where seconds.isFinite && seconds.rounded(.towardZero) == seconds && abs(seconds) < 9e15:
            return text(unixSeconds: Int64(seconds))
        default: return nil
        }
    }

    /// `value` with every time, at any depth, replaced by its text.
    public func displaying(_ value: JSONValue) -> JSONValue {
        guard display != .epoch else { return value }
        switch value {
        case .object(let members):
            var shown = JSONObject(minimumCapacity: members.count)
            for (key, member) in members { shown[key] = text(of: member, key: key).map(JSONValue.string) ?? displaying(member) }
            return .object(shown)
        case .array(let items):
            return .array(items.map(displaying))
        default:
            return value
        }
    }
}
