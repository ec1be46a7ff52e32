@testable import Mem0Client
import XCTest

final class JSONValueTests: XCTestCase {
    func testIntegersAndDoublesStayApart() throws {
        let value = try JSONValue.parse("[1, 1.0, 1.5, 9007199254740993, -0, true, false, null, 18446744073709551615]")
        XCTAssertEqual(value, [.int(1), .double(1), .double(1.5), .int(9_007_199_254_740_993), .int(0),
                               .bool(true), .bool(false), .null, .double(Double(UInt64.max))])
    }

    func testSerializationRoundTripsExactly() throws {
        let value: JSONValue = [
            "text": "quote \" backslash \\ newline \n tab \t bell \u{07} ☃ 🏳️‍🌈 مرحبا 中文",
            "n": 42, "d": 1.0, "small": 0.1, "big": 1e20, "neg": -7, "nested": ["a": [1, 2, ["b": nil]]], "flag": true,
        ]
        XCTAssertEqual(try JSONValue.parse(value.serialized()), value)
        XCTAssertTrue(value.serialized().contains(#""d":1.0"#))
    }

    func testTopLevelNullParses() throws {
        XCTAssertEqual(try JSONValue.parse("null"), .null)
    }

    func testCodableRoundTrip() throws {
        let value: JSONValue = ["a": [1, "x", nil, false, 2.5]]
        let data = try JSONEncoder().encode(value)
        XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: data), value)
    }
}

final class TimestampTests: XCTestCase {
    let reference = 1_719_835_200.0  // 2024-07-01T12:00:00Z

    func testAcceptsTheFormsBothServersWrite() throws {
        let forms = [
            "2024-07-01T12:00:00Z", "2024-07-01T12:00:00+00:00", "2024-07-01T05:00:00-07:00",
            "2024-07-01T14:00:00+0200", "2024-07-01T14:00:00+02", "2024-07-01 12:00:00", "2024-07-01T12:00:00",
            "2024-07-01t12:00:00z",
        ]
        for form in forms {
            XCTAssertEqual(Mem0Timestamp.parse(form)?.timeIntervalSince1970, reference, form)
        }
    }

    func testKeepsFractions() throws {
        XCTAssertEqual(Mem0Timestamp.parse("2024-07-01T12:00:00.091902+00:00")!.timeIntervalSince1970,
                       reference + 0.091902, accuracy: 1e-6)
        XCTAssertEqual(Mem0Timestamp.parse("2024-07-01T12:00:00.5Z")!.timeIntervalSince1970, reference + 0.5)
    }

    func testRejectsWhatIsNotADateTime() {
        for text in ["yesterday", "", "2024-07-01", "2024-13-01T00:00:00Z", "2024-07-01T12:00:00 UTC",
                     "2024-07-01T12:00:00.Z", "1700000000"] {
            XCTAssertNil(Mem0Timestamp.parse(text), text)
        }
    }

    func testFormatsUTCAndParsesBack() {
        let whole = Date(timeIntervalSince1970: reference)
        XCTAssertEqual(Mem0Timestamp.format(whole), "2024-07-01T12:00:00.000000+00:00")
        let fractional = Date(timeIntervalSince1970: reference + 0.25)
        XCTAssertEqual(Mem0Timestamp.format(fractional), "2024-07-01T12:00:00.250000+00:00")
        XCTAssertEqual(Mem0Timestamp.parse(Mem0Timestamp.format(fractional)), fractional)
    }

    /// A legacy `…:32.999618` once went out as `…:33.000Z` (milliseconds rounded up) and verification saw a
    /// created_at in the next second.
    func testFormatKeepsMicrosecondsAndNeverRoundsIntoTheNextSecond() {
        let late = Date(timeIntervalSince1970: reference + 32.999618)
        XCTAssertEqual(Mem0Timestamp.format(late), "2024-07-01T12:00:32.999618+00:00")
        XCTAssertEqual(Mem0Timestamp.format(Date(timeIntervalSince1970: -0.5)), "1969-12-31T23:59:59.500000+00:00")
        XCTAssertEqual(Mem0Timestamp.format(Date(timeIntervalSince1970: 951_782_400)), "2000-02-29T00:00:00.000000+00:00")
    }

    func testDaysBeforeTheEpoch() {
        XCTAssertEqual(Mem0Timestamp.parse("1969-12-31T00:00:00Z")?.timeIntervalSince1970, -86_400)
        XCTAssertEqual(Mem0Timestamp.parse("2000-02-29T00:00:00Z")?.timeIntervalSince1970, 951_782_400)
    }
}

final class APIKeyTests: XCTestCase {
    let secret = "m0-SECRET-\(UUID().uuidString)"

    func testTheKeyNeverPrints() throws {
        let key = try XCTUnwrap(APIKey(secret))
        XCTAssertEqual("\(key)", "***")
        XCTAssertEqual(String(describing: key), "***")
        XCTAssertEqual(String(reflecting: key), "***")
        var dumped = ""
        dump(key, to: &dumped)
        XCTAssertFalse(dumped.contains(secret))
        let configuration = Mem0Configuration(baseURL: URL(string: "http://127.0.0.1:1")!, apiKey: key)
        var dumpedConfiguration = ""
        dump(configuration, to: &dumpedConfiguration)
        XCTAssertFalse(dumpedConfiguration.contains(secret))
        XCTAssertFalse(String(describing: configuration).contains(secret))
    }

    func testRejectsEmptyKeysAndHeaderInjection() {
        XCTAssertNil(APIKey(""))
        XCTAssertNil(APIKey("   \n"))
        XCTAssertNil(APIKey("abc\r\nX-Evil: 1"))
        XCTAssertEqual(APIKey(" abc \n")?.secret, "abc")
    }
}
