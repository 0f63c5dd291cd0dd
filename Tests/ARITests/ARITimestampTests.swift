import Foundation
import Testing
@testable import ARI

@Suite struct ARITimestampTests {
    /// The expected instant, computed by Foundation's calendar rather than by the parser under test.
    private static func instant(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, nanosecond: Int = 0,
        offsetSeconds: Int = 0
    ) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offsetSeconds)!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return calendar.date(from: components)!.addingTimeInterval(Double(nanosecond) / 1e9)
    }

    @Test(arguments: [
        ("2026-11-26T12:26:37.458+0000", instant(2026, 11, 26, 12, 26, 37, nanosecond: 458_000_000)),
        ("2026-11-26T09:26:37.458-0300", instant(2026, 11, 26, 9, 26, 37, nanosecond: 458_000_000, offsetSeconds: -3 * 3600)),
        ("2026-11-26T14:56:37.001+0530", instant(2026, 11, 26, 14, 56, 37, nanosecond: 1_000_000, offsetSeconds: 19_800)),
        ("2026-11-26T12:26:37.458+05:30", instant(2026, 11, 26, 12, 26, 37, nanosecond: 458_000_000, offsetSeconds: 19_800)),
        ("2026-11-26T12:26:37Z", instant(2026, 11, 26, 12, 26, 37)),
        ("2026-11-26T12:26:37", instant(2026, 11, 26, 12, 26, 37)),
        ("2024-02-29T23:59:59.999999999+0000", instant(2024, 2, 29, 23, 59, 59, nanosecond: 999_999_999)),
        ("2000-03-01T00:00:00.5-01", instant(2000, 3, 1, 0, 0, 0, nanosecond: 500_000_000, offsetSeconds: -3600)),
        ("1969-12-31T23:59:59.000+0000", instant(1969, 12, 31, 23, 59, 59)),
        ("2100-01-01T00:00:00.000+0000", instant(2100, 1, 1, 0, 0, 0)),
    ])
    func parsesAsteriskTimestamps(text: String, expected: Date) throws {
        let parsed = try #require(ARITimestamp.parse(text))
        #expect(abs(parsed.timeIntervalSince(expected)) < 1e-6)
    }

    @Test(arguments: [
        "", "2026-11-26", "2026-11-26T12:26", "2026-13-26T12:26:37.458+0000", "2026-11-32T12:26:37+0000",
        "2026-11-26T24:00:00+0000", "2026-11-26T12:26:37.+0000", "2026-11-26T12:26:37.458+000", "2026-11-26T12:26:37.458 +0000",
        "2026-11-26T12:26:37.458+0000x", "2026-11-26T12:26:37.458+2500", "26-11-26T12:26:37", "2026-11-26T12:26:3a",
        "yesterday",
    ])
    func rejectsOtherText(text: String) {
        #expect(ARITimestamp.parse(text) == nil)
    }
}
