import Foundation
import Mem0Client
@testable import Migration
import Storage
import GRDB
import XCTest

/// The audit's comparison rules and its second look at the file, as pure functions.
final class DriftAuditRulesTests: XCTestCase {
    private func memory(_ metadata: [String: JSONValue], user: String = "u-1") -> Mem0Memory {
        Mem0Memory(id: "m1", text: "t", userID: user, metadata: metadata)
    }

    func testTagsCompareAsSetsAndAbsentKeysReadAsNone() {
        let row = MemoryLinkValues(mem0UserID: "u-1", profileID: nil, memoryType: nil, tags: ["b", "a", "a"])
        let same = MemoryLinkValues(memory(["legacy_tags": ["a", "b"]]))
        XCTAssertEqual(row.differences(from: same), [])
        let other = MemoryLinkValues(memory(["legacy_tags": ["a"], "legacy_memory_type": "fact"], user: "u-2"))
        XCTAssertEqual(row.differences(from: other).map(\.field), [.user, .memoryType, .tags])
        XCTAssertEqual(row.differences(from: other).first { $0.field == .memoryType }?.metadataValue, "null")
    }

    func testAnOrphanProfileIDInMem0AgreesWithANullRow() {
        let row = MemoryLinkValues(mem0UserID: "u-1", profileID: nil, memoryType: "fact", tags: [])
        let orphan = MemoryLinkValues(memory(["legacy_profile_id": 999_999, "legacy_memory_type": "fact"]), knownProfiles: [1, 2])
        XCTAssertEqual(row.differences(from: orphan), [])
        let known = MemoryLinkValues(memory(["legacy_profile_id": 2, "legacy_memory_type": "fact"]), knownProfiles: [1, 2])
        XCTAssertEqual(row.differences(from: known).map(\.field), [.profile])
    }

    func testWritesDuringTheAuditAreTakenBackAndTheEquationsStayExact() {
        var result = DriftAuditResult()
        result.metadataRows = 10; result.linkedOK = 8; result.dangling = 2
        result.mem0Memories = 10; result.linked = 8; result.unlinked = 2
        result.findings = [
            DriftFinding(kind: .dangling, metadataID: 1, mem0MemoryID: "a"),
            DriftFinding(kind: .dangling, metadataID: 2, mem0MemoryID: "b"),
            DriftFinding(kind: .unlinked, metadataID: nil, mem0MemoryID: "c"),
            DriftFinding(kind: .unlinked, metadataID: nil, mem0MemoryID: "d"),
        ]
        let settled = result.forgettingWritesDuringTheAudit(rowsStillThere: [1], memoriesLinkedNow: ["d"])
        XCTAssertEqual(settled.findings.map(\.mem0MemoryID), ["a", "c"])
        XCTAssertEqual([settled.metadataRows, settled.dangling, settled.linked, settled.unlinked], [9, 1, 9, 1])
        XCTAssertTrue(settled.metadataEquationHolds && settled.mem0EquationHolds)
        XCTAssertEqual(settled.notes.count, 1)
    }

    func testAPlanNeedsADirectionOnlyForDisagreements() throws {
        var result = DriftAuditResult()
        result.findings = [DriftFinding(kind: .dangling, metadataID: 1, mem0MemoryID: "a"),
                           DriftFinding(kind: .disagreeing, metadataID: 2, mem0MemoryID: "b",
                                        differences: [FieldDifference(field: .tags, metadataValue: "[]", mem0Value: "[\"x\"]")])]
        XCTAssertThrowsError(try RepairPlan(audit: result, options: RepairOptions()))
        let dangling = try RepairPlan(audit: result, options: RepairOptions(only: .dangling))
        XCTAssertEqual(dangling.actions.map(\.kind), [.deleteMetadataRow])
    }

    func testStoredRowsRoundTripEveryStorageClass() throws {
        let row = StoredRow(columns: [("id", 7.databaseValue), ("tags", DatabaseValue.null), ("created_at", "2024-01-02 03:04:05".databaseValue),
                                      ("score", 0.1.databaseValue), ("blob", Data([0, 255]).databaseValue),
                                      ("big", Int64.max.databaseValue)])
        XCTAssertEqual(StoredRow(json: row.json), row)
    }
}
