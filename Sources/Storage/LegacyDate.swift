import Foundation
import GRDB

/// A DATETIME column as the legacy app (or a person, or another tool) wrote it, with the instant it means.
///
/// SQLAlchemy stores `YYYY-MM-DD HH:MM:SS.ffffff` (UTC, sometimes without the fraction); rows written by hand
/// carry ISO 8601 with a `T` and an offset or `Z`. All three mean an instant; text without an offset is UTC.
/// The original value is kept so a row can be written back, and compared, exactly as it was.
/// Parsing is done by hand on the UTF-8 bytes: a `DateFormatter` per row costs seconds on a million rows.
/// Text that is no date at all still decodes (`date == nil`, `format == .unreadable`): browsing must not fail on
/// one bad row; the migration decides what to do with it.
public struct LegacyDate: Sendable, Hashable, CustomStringConvertible {
    /// Which of the formats the stored value used.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// `2024-03-01 09:15:00.123456` (SQLAlchemy's default).
        case sqlWithFraction
        /// `2024-03-01 09:15:00` (SQLite's CURRENT_TIMESTAMP, older SQLAlchemy rows).
        case sqlWithoutFraction
        /// `2024-03-01T09:15:00+02:00`, `...Z`, or any text with a `T` separator or an offset.
        case iso8601
        /// `2024-03-01`.
        case dateOnly
        /// An INTEGER or REAL column value, read as seconds since 1970 (UTC).
        case unixSeconds
        /// Anything else; `date` is nil.
        case unreadable
    }

    /// The stored value, exactly (usually TEXT).
    public let storedValue: DatabaseValue
    /// The instant, or nil when the stored value is not a date memconsole can read.
    public let date: Date?
    public let format: Format

    /// The stored text (numbers as their decimal form).
    public var text: String {
        switch storedValue.storage {
        case .string(let s): return s
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        case .null: return ""
        }
    }

    public var description: String { text }

    /// Decodes a stored value. Never fails: unreadable text keeps its text and has no date.
    public init(storedValue: DatabaseValue) {
        self.storedValue = storedValue
        switch storedValue.storage {
        case .string(let s):
            if let (date, format) = LegacyDate.parse(s) { self.date = date; self.format = format }
            else { self.date = nil; self.format = .unreadable }
        case .int64(let i): date = Date(timeIntervalSince1970: TimeInterval(i)); format = .unixSeconds
        case .double(let d): date = Date(timeIntervalSince1970: d); format = .unixSeconds
        case .blob(let b):
            if let (date, format) = LegacyDate.parse(String(decoding: b, as: UTF8.self)) {
                self.date = date; self.format = format
            } else { date = nil; format = .unreadable }
        case .null: date = nil; format = .unreadable
        }
    }

    /// Decodes stored text.
    public init(text: String) { self.init(storedValue: text.databaseValue) }

    /// A new value for `date`, written the way SQLAlchemy writes it: `YYYY-MM-DD HH:MM:SS.ffffff` in UTC.
    public init(_ date: Date) {
        let text = LegacyDate.sqlAlchemyText(for: date)
        self.storedValue = text.databaseValue
        self.date = LegacyDate.parse(text)?.0 ?? date
        self.format = .sqlWithFraction
    }

    /// Now, as SQLAlchemy's `datetime.utcnow()` would store it.
    public static func now() -> LegacyDate { LegacyDate(Date()) }

    /// ISO 8601 in UTC with microseconds (`2024-03-01T07:15:00.000000Z`), or the stored text when unreadable.
    public var iso8601: String {
        guard let date else { return text }
        let sql = LegacyDate.sqlAlchemyText(for: date)
        var chars = Array(sql)
        chars[10] = "T"
        return String(chars) + "Z"
    }

    // MARK: - Parsing

    /// Parses the three legacy text formats (and a bare date). Returns nil for anything else.
    public static func parse(_ text: String) -> (Date, Format)? {
        var copy = text
        return copy.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> (Date, Format)? {
        var i = 0
        let n = bytes.count
        // Leading/trailing spaces are tolerated (hand-written rows).
        var end = n
        while i < end, bytes[i] == 0x20 { i += 1 }
        while end > i, bytes[end - 1] == 0x20 { end -= 1 }

        func digits(_ count: Int) -> Int? {
            guard i + count <= end else { return nil }
            var value = 0
            for k in 0..<count {
                let c = bytes[i + k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                value = value * 10 + Int(c - 0x30)
            }
            i += count
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < end, bytes[i] == c else { return false }
            i += 1
            return true
        }

        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        if i == end {
            return (Date(timeIntervalSince1970: TimeInterval(days * 86_400)), .dateOnly)
        }
        var isISO = false
        if bytes[i] == 0x54 || bytes[i] == 0x74 { isISO = true; i += 1 }   // 'T' / 't'
        else if bytes[i] == 0x20 { i += 1 }
        else { return nil }
        guard let hour = digits(2), expect(0x3A), let minute = digits(2),
              hour <= 24, minute <= 59 else { return nil }
        var second = 0
        if expect(0x3A) {
            guard let s = digits(2), s <= 60 else { return nil }
            second = s
        }
        var fraction = 0.0
        var hasFraction = false
        if i < end, bytes[i] == 0x2E || bytes[i] == 0x2C {   // '.' or ','
            i += 1
            var scale = 0.1
            let start = i
            while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                fraction += Double(bytes[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
            hasFraction = true
        }
        var offsetSeconds = 0
        if i < end {
            isISO = true
            if bytes[i] == 0x20 { i += 1 }   // "2024-03-01 09:15:00 +02:00"
            guard i < end else { return nil }
            let sign = bytes[i]
            if sign == 0x5A || sign == 0x7A { i += 1 }   // 'Z'
            else if sign == 0x2B || sign == 0x2D {
                i += 1
                guard let oh = digits(2), oh <= 23 else { return nil }
                var om = 0
                if expect(0x3A) { guard let m = digits(2) else { return nil }; om = m }
                else if i < end { guard let m = digits(2) else { return nil }; om = m }
                guard om <= 59 else { return nil }
                offsetSeconds = (oh * 3600 + om * 60) * (sign == 0x2D ? -1 : 1)
            } else { return nil }
            guard i == end else { return nil }
        }
        if hour == 24 { guard minute == 0, second == 0, fraction == 0 else { return nil } }   // 24:00 = next midnight
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let format: Format = isISO ? .iso8601 : (hasFraction ? .sqlWithFraction : .sqlWithoutFraction)
        return (Date(timeIntervalSince1970: TimeInterval(seconds) + fraction), format)
    }

    private static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, microseconds rounded.
    public static func sqlAlchemyText(for date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        var totalMicros = Int64(micros)
        var micro = totalMicros % 1_000_000
        if micro < 0 { micro += 1_000_000 }
        totalMicros -= micro
        let totalSeconds = Int(totalMicros / 1_000_000)
        var days = totalSeconds / 86_400
        var secondOfDay = totalSeconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (y, m, d) = civilFromDays(days)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2)) \(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):"
            + "\(pad(secondOfDay % 60, 2)).\(pad(Int(micro), 6))"
    }
}

extension LegacyDate: DatabaseValueConvertible {
    /// Writes back the stored value unchanged.
    public var databaseValue: DatabaseValue { storedValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> LegacyDate? {
        dbValue.isNull ? nil : LegacyDate(storedValue: dbValue)
    }
}
