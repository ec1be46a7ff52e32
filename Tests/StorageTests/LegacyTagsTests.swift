import GRDB
import Storage
import XCTest

/// One test per tags mess of the legacy file, and the decisions for odd tags.
final class LegacyTagsTests: XCTestCase {
    func testJSONArray() {
        let tags = LegacyTags(raw: #"["food","preference"]"#)
        XCTAssertEqual(tags.values, ["food", "preference"])
        XCTAssertEqual(tags.format, .jsonArray)
    }

    func testCommaList() {
        let tags = LegacyTags(raw: "food, preference ,travel")
        XCTAssertEqual(tags.values, ["food", "preference", "travel"])
        XCTAssertEqual(tags.format, .commaList)
    }

    func testNullAndEmpty() {
        XCTAssertEqual(LegacyTags(raw: nil).values, [])
        XCTAssertEqual(LegacyTags(raw: nil).format, .null)
        XCTAssertEqual(LegacyTags(raw: "").format, .empty)
        XCTAssertEqual(LegacyTags(raw: "   ").format, .empty)
        XCTAssertEqual(LegacyTags(raw: "[]").values, [])
    }

    func testWhitespaceAndDuplicatesAreCleaned() {
        XCTAssertEqual(LegacyTags(raw: #"[" food ", "food", "", "Food"]"#).values, ["food", "Food"])
        XCTAssertEqual(LegacyTags(raw: " food ,  , drink ,food").values, ["food", "drink"])
    }

    func testNonStringJSONElementsBecomeTheirJSONText() {
        let tags = LegacyTags(raw: #"["a", 3, 2.5, true, null, {"b": 1}, [1, "x"]]"#)
        XCTAssertEqual(tags.values, ["a", "3", "2.5", "true", #"{"b":1}"#, #"[1,"x"]"#])
        XCTAssertEqual(tags.format, .jsonArray)
    }

    func testUnbalancedJSONIsReadAsAListAndFlagged() {
        let tags = LegacyTags(raw: #"["travel", "japan""#)
        XCTAssertEqual(tags.values, ["travel", "japan"])
        XCTAssertEqual(tags.format, .malformedJSON)
    }

    func testUnicodeTagsSurvive() {
        XCTAssertEqual(LegacyTags(raw: #"["食べ物", "café", "🍣"]"#).values, ["食べ物", "café", "🍣"])
        XCTAssertEqual(LegacyTags(raw: #"["\u00e9t\u00e9"]"#).values, ["été"])
    }

    func testStoredTextIsWrittenBackAndNewTagsAreJSON() throws {
        XCTAssertEqual(LegacyTags(raw: "a, b").databaseValue, "a, b".databaseValue)
        XCTAssertEqual(LegacyTags(raw: nil).databaseValue, .null)
        let fresh = LegacyTags(["food", " food", "a/b"])
        XCTAssertEqual(fresh.raw, #"["food","a/b"]"#)
        XCTAssertEqual(LegacyTags(raw: "x, y").jsonArrayText, #"["x","y"]"#)
    }
}
