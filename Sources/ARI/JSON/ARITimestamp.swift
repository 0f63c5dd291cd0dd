import Foundation

/// Parser for the timestamps ARI writes, such as `2026-11-26T12:26:37.458+0000`.
///
/// Asterisk formats them with `%Y-%m-%dT%H:%M:%S.%3q%z`: the server's local offset without a
/// colon. This parser also takes `Z`, `±HH:MM`, `±HH`, no fraction and any number of fraction
/// digits. It is hand-rolled because `DateFormatter` and `ISO8601DateFormatter` cost
/// microseconds per call and every event carries at least two timestamps.
public enum ARITimestamp {
    /// The instant `text` names, or nil if it is not a timestamp of this shape.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: UnsafeRawBufferPointer($0)) }
    }

    static func parse(bytes: UnsafeRawBufferPointer) -> Date? {
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<width {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
                index += 1
            }
            return value
        }
        func expect(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("T") || expect(" "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
              let second = number(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }

        var nanoseconds = 0
        if expect(".") {
            let start = index
            var digits = 0
            while index < bytes.count, (48...57).contains(bytes[index]) {
                if digits < 9 {
                    nanoseconds = nanoseconds * 10 + Int(bytes[index] - 48)
                    digits += 1
                }
                index += 1
            }
            guard index > start else { return nil }
            for _ in digits..<9 { nanoseconds *= 10 }
        }

        var offsetSeconds = 0
        if index < bytes.count {
            let sign: Int
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"): sign = 0; index += 1
            case UInt8(ascii: "+"): sign = 1; index += 1
            case UInt8(ascii: "-"): sign = -1; index += 1
            default: return nil
            }
            if sign != 0 {
                guard let offsetHours = number(2), offsetHours < 24 else { return nil }
                var offsetMinutes = 0
                if index < bytes.count {
                    _ = expect(":")
                    guard let minutes = number(2), minutes < 60 else { return nil }
                    offsetMinutes = minutes
                }
                offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            }
            guard index == bytes.count else { return nil }
        }

        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
