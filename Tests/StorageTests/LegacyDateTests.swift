import Foundation
import GRDB
import Storage
import XCTest

/// One test per date mess of the legacy file.
final class LegacyDateTests: XCTestCase {
    /// 2024-03-01 07:15:00 UTC.
    let instant = Date(timeIntervalSince1970: 1_709_277_300)

    func testSQLAlchemyFormatWithFractionIsUTCWithMicroseconds() throws {
        let value = LegacyDate(text: "2024-03-01 07:15:00.123456")
        XCTAssertEqual(value.format, .sqlWithFraction)
        XCTAssertEqual(try XCTUnwrap(value.date).timeIntervalSince1970, instant.timeIntervalSince1970 + 0.123456,
                       accuracy: 1e-6)
    }

    func testSQLAlchemyFormatWithoutFraction() {
        let value = LegacyDate(text: "2024-03-01 07:15:00")
        XCTAssertEqual(value.format, .sqlWithoutFraction)
        XCTAssertEqual(value.date, instant)
    }

    func testISO8601WithOffsetIsNormalisedToUTC() {
        let value = LegacyDate(text: "2024-03-01T09:15:00+02:00")
        XCTAssertEqual(value.format, .iso8601)
        XCTAssertEqual(value.date, instant)
        XCTAssertEqual(value.iso8601, "2024-03-01T07:15:00.000000Z")
        XCTAssertEqual(LegacyDate(text: "2024-03-01T07:15:00Z").date, instant)
        XCTAssertEqual(LegacyDate(text: "2024-03-01T02:15:00-0500").date, instant)
        XCTAssertEqual(LegacyDate(text: "2024-03-01T12:45:00+05:30").date, instant)
        XCTAssertEqual(LegacyDate(text: "2024-03-01T07:15:00.5Z").date?.timeIntervalSince1970,
                       instant.timeIntervalSince1970 + 0.5)
    }

    func testUnreadableTextKeepsItsTextAndHasNoDate() {
        for text in ["yesterday", "", "2024-13-01 00:00:00", "2023-02-29 10:00:00", "2024-03-01 25:00:00",
                     "2024-03-01T09:15:00+2", "2024-03-01 09:15:00.", "2024/03/01 09:15:00"] {
            let value = LegacyDate(text: text)
            XCTAssertNil(value.date, text)
            XCTAssertEqual(value.format, .unreadable, text)
            XCTAssertEqual(value.text, text)
        }
    }

    func testLeapDayAndDateOnly() {
        XCTAssertNotNil(LegacyDate(text: "2024-02-29 23:59:59").date)
        let day = LegacyDate(text: "2024-03-01")
        XCTAssertEqual(day.format, .dateOnly)
        XCTAssertEqual(day.date, Date(timeIntervalSince1970: 1_709_251_200))
    }

    func testNumbersAreReadAsUnixSeconds() {
        let value = LegacyDate(storedValue: 1_709_277_300.databaseValue)
        XCTAssertEqual(value.format, .unixSeconds)
        XCTAssertEqual(value.date, instant)
    }

    func testStoredValueIsWrittenBackExactly() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (d)")
            for text in ["2024-03-01T09:15:00+02:00", "2024-03-01 07:15:00", "not a date", "2024-03-01 07:15:00.100000"] {
                try db.execute(sql: "DELETE FROM t")
                let value = LegacyDate(text: text)
                try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [value])
                XCTAssertEqual(try String.fetchOne(db, sql: "SELECT d FROM t"), text)
            }
        }
    }

    func testNewDatesAreWrittenTheWaySQLAlchemyWritesThem() {
        let value = LegacyDate(Date(timeIntervalSince1970: 1_709_277_300.25))
        XCTAssertEqual(value.text, "2024-03-01 07:15:00.250000")
        XCTAssertEqual(value.format, .sqlWithFraction)
        XCTAssertEqual(LegacyDate.sqlAlchemyText(for: Date(timeIntervalSince1970: -0.5)), "1969-12-31 23:59:59.500000")
        XCTAssertEqual(LegacyDate.sqlAlchemyText(for: Date(timeIntervalSince1970: 951_782_400)),
                       "2000-02-29 00:00:00.000000")
    }

    func testRoundTripOverManyInstants() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let micros = Int64(generator.below(4_000_000_000)) * 1_000_000 + Int64(generator.below(1_000_000))
            let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            let text = LegacyDate.sqlAlchemyText(for: date)
            XCTAssertEqual(LegacyDate(text: text).text, text)
            XCTAssertEqual(LegacyDate(text: text).date!.timeIntervalSince1970, date.timeIntervalSince1970,
                           accuracy: 1e-6)
        }
    }
}
