import Foundation
import Mem0Client
@testable import Migration
@testable import ConsoleCore

/// An audit with one finding of each kind (CJK and emoji in the memory texts) and one clean audit.
extension Fixture {
    static let danglingID = "0d5f7c1e-9a2b-4c3d-8e4f-5a6b7c8d9e01"
    static let unlinkedID = "7b3e9f20-4a1c-4d2e-9f3a-1b2c3d4e5f60"
    static let disagreeingID = "c4a8e2f6-1b3d-4f5a-8c9e-0d1e2f3a4b5c"

    static let driftAudit: DriftAuditResult = {
        var r = DriftAuditResult()
        r.metadataRows = 395; r.linkedOK = 386; r.dangling = 7; r.disagreeing = 2
        r.mem0Memories = 393; r.linked = 388; r.unlinked = 5
        r.usersInFile = 20; r.usersAudited = 20
        r.notes = ["1 memory the app added during the audit is linked by now"]
        r.findings = [
            DriftFinding(kind: .dangling, metadataID: 12, mem0MemoryID: danglingID, userID: 3, mem0UserID: "chatapp-3",
                         metadataSide: MemoryLinkValues(mem0UserID: "chatapp-3", profileID: 10, memoryType: "fact", tags: [])),
            DriftFinding(kind: .unlinked, metadataID: nil, mem0MemoryID: unlinkedID, userID: 2, mem0UserID: "chatapp-2",
                         mem0Side: MemoryLinkValues(mem0UserID: "chatapp-2", profileID: nil, memoryType: "preference", tags: ["旅行"]),
                         memory: Mem0Memory(id: unlinkedID, text: "行きたい場所: 京都 🌸 in April", userID: "chatapp-2",
                                            metadata: ["legacy_memory_type": "preference", "legacy_tags": ["旅行"]],
                                            createdAtText: "2024-04-01T08:00:00Z")),
            DriftFinding(kind: .disagreeing, metadataID: 201, mem0MemoryID: disagreeingID, userID: 1, mem0UserID: "chatapp-1",
                         metadataSide: MemoryLinkValues(mem0UserID: "chatapp-1", profileID: 10, memoryType: "fact", tags: ["diet"]),
                         mem0Side: MemoryLinkValues(mem0UserID: "chatapp-1", profileID: 10, memoryType: "preference", tags: ["diet"]),
                         differences: [FieldDifference(field: .memoryType, metadataValue: "fact", mem0Value: "preference")]),
        ]
        return r
    }()

    static let cleanAudit: DriftAuditResult = {
        var r = DriftAuditResult()
        r.metadataRows = 60; r.linkedOK = 60; r.mem0Memories = 60; r.linked = 60; r.usersInFile = 5; r.usersAudited = 5
        return r
    }()
}

extension Scenario {
    static func audit(_ w: Int, _ h: Int, result: DriftAuditResult = Fixture.driftAudit) -> Driver {
        var d = Driver(width: w, height: h, status: Fixture.migratedStatus)
        d.answer(.users(Fixture.users))
        d.keys(.char("A"))
        d.send(.driftAudit(.finished(result)))
        return d
    }

    /// Every finding selected (1, 2, 3), then `R`: the review with no direction chosen yet, then `d`.
    static func repairReview(_ w: Int, _ h: Int) -> Driver {
        var d = audit(w, h)
        d.keys(.char("1"), .char("2"), .char("3"), .char("R"), .char("d"))
        return d
    }
}
