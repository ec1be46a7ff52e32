import Foundation

/// Reads and writes the ISO-8601 times Mem0 uses.
///
/// The two servers disagree on the form: the Platform shows `2024-07-01T12:00:00Z` and `-07:00` offsets, OSS writes
/// Python's `isoformat()` with microseconds and `+00:00`, and an OSS memory backdated through `metadata.created_at`
/// keeps whatever string was sent. So the parser accepts a `T` or a space, any number of fraction digits, `Z`,
/// `±HH:MM`, `±HHMM`, `±HH` or no offset at all (read as UTC, the way mem0 writes naive times), and nothing else.
public enum Mem0Timestamp {
    /// Parses an ISO-8601 date-time; nil when the text is not one (OSS stores unvalidated strings such as "yesterday").
    public static func parse(_ text: String) -> Date? {
        var scanner = Substring(text.trimmingCharacters(in: .whitespaces))
        guard let year = scanner.takeDigits(4), scanner.take("-"),
              let month = scanner.takeDigits(2), scanner.take("-"),
              let day = scanner.takeDigits(2) else { return nil }
        guard scanner.take("T") || scanner.take("t") || scanner.take(" "),
              let hour = scanner.takeDigits(2), scanner.take(":"),
              let minute = scanner.takeDigits(2), scanner.take(":"),
              let second = scanner.takeDigits(2) else { return nil }
        var fraction = 0.0
        if scanner.take(".") || scanner.take(",") {
            let digits = scanner.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let value = Double("0." + digits) else { return nil }
            fraction = value
            scanner = scanner.dropFirst(digits.count)
        }
        var offsetSeconds = 0
        if scanner.take("Z") || scanner.take("z") {
            // UTC
        } else if let sign = scanner.first, sign == "+" || sign == "-" {
            scanner = scanner.dropFirst()
            guard let offsetHours = scanner.takeDigits(2) else { return nil }
            var offsetMinutes = 0
            if scanner.take(":") {
                guard let minutes = scanner.takeDigits(2) else { return nil }
                offsetMinutes = minutes
            } else if let minutes = scanner.takeDigits(2) {
                offsetMinutes = minutes
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (sign == "-" ? -1 : 1)
        }
        guard scanner.isEmpty, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        // The civil-date arithmetic is Storage's (LegacyDate); Mem0Client does not depend on Storage, so the day
        // comes from Foundation's Gregorian calendar in UTC.
        guard let midnight = utcCalendar.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
        let seconds = midnight.timeIntervalSince1970 + Double(hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// `2023-11-14T22:13:20.999618+00:00`: Python's `isoformat()` with microseconds, the form the OSS server writes
    /// itself and the form sent as OSS `metadata.created_at`. UTC always, so the stored string reads the same on every
    /// machine. Microseconds, not milliseconds: a legacy `…:32.999618` must not round up into the next second.
    public static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = seconds.rounded(.down)
        var micros = Int(((seconds - whole) * 1_000_000).rounded())
        if micros >= 1_000_000 { micros -= 1_000_000; whole += 1 }
        let base = Date(timeIntervalSince1970: whole).formatted(wholeSecondsUTC)   // 2024-07-01T12:00:32Z
        let fraction = String(micros)
        return base.dropLast() + "." + String(repeating: "0", count: 6 - fraction.count) + fraction + "+00:00"
    }

    private static let wholeSecondsUTC = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

private extension Substring {
    mutating func take(_ character: Character) -> Bool {
        guard first == character else { return false }
        self = dropFirst()
        return true
    }

    mutating func takeDigits(_ count: Int) -> Int? {
        let digits = prefix(count)
        guard digits.count == count, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        self = dropFirst(count)
        return Int(digits)
    }
}
