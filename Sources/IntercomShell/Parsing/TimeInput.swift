public import Foundation

/// Reads a time typed by a person: an ISO 8601 date or date-time, or Unix seconds written as digits.
///
/// Accepted: `2014-01-01`, `2014-01-01T10:30`, `2014-01-01T10:30:15`, `2014-01-01 10:30:15.250`, each optionally
/// followed by `Z` or an offset (`+02:00`, `+0200`, `+02`). A date or date-time without a zone is a time in
/// `timeZone` (the local one, `TZ`, by default), which is how the pretty and table views show times. Fractions of
/// a second are dropped, or with `roundingUp` count as the next second (a bound `>= 10.5` is `>= 11` in whole
/// seconds). Dates that do not exist (`2014-02-30`, `24:00`) are refused.
public enum TimeInput {
    /// The Unix time in seconds that `text` names, or `nil` when it is not one of the accepted forms.
    public static func unixSeconds(from text: String, timeZone: TimeZone = .current, roundingUp: Bool = false) -> Int64? {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return Int64(text)
        }
        guard let parts = ISOParts(text) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        guard let zone = parts.offsetSeconds.map({ TimeZone(secondsFromGMT: $0) }) ?? timeZone else { return nil }
        calendar.timeZone = zone
        let components = DateComponents(
            year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second)
        guard let date = calendar.date(from: components) else { return nil }
        // Calendar rolls invalid fields over (February 30th becomes March 2nd); such a date was not a date.
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == parts.year, back.month == parts.month, back.day == parts.day else { return nil }
        return Int64(date.timeIntervalSince1970.rounded(.down)) + (roundingUp && parts.hasFraction ? 1 : 0)
    }

    /// The fields of an ISO 8601 date or date-time, checked for range but not yet for the calendar.
    struct ISOParts {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        /// The offset from UTC the text gave (`Z` is 0), or `nil` for local time.
        var offsetSeconds: Int?
        /// Whether the seconds had a fraction other than zero.
        var hasFraction = false

        init?(_ text: String) {
            var scanner = DigitScanner(text)
            guard let year = scanner.number(digits: 4), scanner.skip("-"), let month = scanner.number(digits: 2), scanner.skip("-"),
                let day = scanner.number(digits: 2), (1...12).contains(month), (1...31).contains(day)
            else { return nil }
            (self.year, self.month, self.day) = (year, month, day)
            if scanner.isAtEnd { return }
            guard scanner.skip("T") || scanner.skip("t") || scanner.skip(" "), let hour = scanner.number(digits: 2), scanner.skip(":"),
                let minute = scanner.number(digits: 2), hour < 24, minute < 60
            else { return nil }
            (self.hour, self.minute) = (hour, minute)
            if scanner.skip(":") {
                guard let second = scanner.number(digits: 2), second < 60 else { return nil }
                self.second = second
                if scanner.skip(".") || scanner.skip(",") {
                    let fraction = scanner.skipDigits()
                    guard fraction.count > 0 else { return nil }
                    hasFraction = fraction.nonZero
                }
            }
            if scanner.isAtEnd { return }
            guard let offset = Self.offset(&scanner), scanner.isAtEnd else { return nil }
            offsetSeconds = offset
        }

        /// The seconds east of UTC of `Z`, `±HH`, `±HHMM` or `±HH:MM`; `nil` when malformed.
        private static func offset(_ scanner: inout DigitScanner) -> Int? {
            if scanner.skip("Z") || scanner.skip("z") { return 0 }
            let sign: Int
            if scanner.skip("+") { sign = 1 } else if scanner.skip("-") { sign = -1 } else { return nil }
            guard let hours = scanner.number(digits: 2), hours <= 18 else { return nil }
            let colon = scanner.skip(":")
            if scanner.isAtEnd && !colon { return sign * hours * 3600 }
            guard let minutes = scanner.number(digits: 2), minutes < 60 else { return nil }
            return sign * (hours * 3600 + minutes * 60)
        }
    }

    /// Reads fixed-width numbers and single characters from ASCII text.
    struct DigitScanner {
        private let bytes: [UInt8]
        private var index = 0

        init(_ text: String) { bytes = Array(text.utf8) }

        var isAtEnd: Bool { index == bytes.count }

        /// Consumes `character` if it comes next.
        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// Consumes exactly `digits` decimal digits and returns their value.
        mutating func number(digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + digits)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += digits
            return value
        }

        /// Consumes any run of digits; returns how many, and whether one was not zero.
        mutating func skipDigits() -> (count: Int, nonZero: Bool) {
            let start = index
            var nonZero = false
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                nonZero = nonZero || bytes[index] != UInt8(ascii: "0")
                index += 1
            }
            return (index - start, nonZero)
        }
    }
}
