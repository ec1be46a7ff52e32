import Foundation
import Mem0Client
@testable import ConsoleCore

/// A user's Mem0 memories: one migrated (its metadata row and legacy row), one the app wrote (a row, no legacy row),
/// one no row links; CJK, emoji and RTL in the texts.
extension Fixture {
    static let mem0User = Mem0UserRef(legacyUserID: 1, username: "alice")

    static let mem0Rows: [Mem0MemoryRow] = [
        Mem0MemoryRow(id: "6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10", text: "Is vegetarian; loves 京都 in spring 🌸",
                      metadata: #"{"legacy_memory_type":"preference","legacy_tags":["food","diet"]}"#,
                      createdAt: date("2024-03-01T09:00:12Z"), updatedAt: date("2024-03-02T10:00:00Z"), metadataID: 500, legacyID: 500),
        Mem0MemoryRow(id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", text: "שלום — prefers morning meetings",
                      metadata: #"{"legacy_memory_type":"fact","legacy_tags":[]}"#,
                      createdAt: date("2024-05-01T08:00:00Z"), updatedAt: nil, metadataID: 2001, legacyID: nil),
        Mem0MemoryRow(id: "7b3e9f20-4a1c-4d2e-9f3a-1b2c3d4e5f60", text: "行きたい場所: 京都 🌸 in April",
                      metadata: "{}", createdAt: date("2024-05-02T08:00:00Z"), updatedAt: date("2024-05-02T08:00:00Z"),
                      metadataID: nil, legacyID: nil),
    ]

    static let mem0Page = Mem0MemoriesPage(mem0UserID: "chatapp-1", rows: mem0Rows, nextPage: nil, totalCount: nil,
                                           reachedServerCap: false)

    static let history: [Mem0HistoryEvent] = [
        Mem0HistoryEvent(id: "h1", memoryID: mem0Rows[0].id, eventName: "ADD", oldText: nil,
                         newText: "Is vegetarian", createdAtText: "2024-03-01T09:00:12Z", updatedAtText: nil),
        Mem0HistoryEvent(id: "h2", memoryID: mem0Rows[0].id, eventName: "UPDATE", oldText: "Is vegetarian",
                         newText: "Is vegetarian; loves 京都 in spring 🌸", createdAtText: "2024-03-02T10:00:00Z", updatedAtText: nil),
    ]

    static let metadataRowView = StoredRowView(table: "memories_metadata", id: 500, columns: [
        .init(name: "id", storageClass: "integer", value: "500"),
        .init(name: "user_id", storageClass: "integer", value: "1"),
        .init(name: "memory_profile_id", storageClass: "integer", value: "10"),
        .init(name: "mem0_memory_id", storageClass: "text", value: "6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10"),
        .init(name: "memory_type", storageClass: "text", value: "preference"),
        .init(name: "tags", storageClass: "text", value: #"["food","diet"]"#),
        .init(name: "created_at", storageClass: "text", value: "2024-03-01 09:00:12"),
        .init(name: "updated_at", storageClass: "null", value: "NULL"),
    ])

    static let legacyRowView = StoredRowView(table: "memories_backup", id: 500, columns: [
        .init(name: "id", storageClass: "integer", value: "500"),
        .init(name: "content", storageClass: "text", value: "Is vegetarian; loves 京都 in spring 🌸"),
        .init(name: "tags", storageClass: "text", value: "food, diet"),
        .init(name: "importance_score", storageClass: "real", value: "0.8"),
        .init(name: "created_at", storageClass: "text", value: "03/01/2024 09:00"),
    ])
}

extension Scenario {
    /// The user screen's Mem0 section, answered.
    static func mem0(_ w: Int, _ h: Int, page: Mem0MemoriesPage = Fixture.mem0Page) -> Driver {
        var d = user(w, h, tab: 0, status: Fixture.migratedStatus)
        d.keys(.char("5"))
        d.send(.mem0MemoriesLoaded(Fixture.mem0User, page: 1, page))
        return d
    }

    static func mem0Search(_ w: Int, _ h: Int) -> Driver {
        var d = mem0(w, h)
        d.keys(.char("s"), .char("京"), .char("都"), .enter)
        let scored = Fixture.mem0Rows.prefix(2).enumerated().map { i, row in
            var row = row; row.score = [0.912, 0.407][i]; return row
        }
        d.send(.mem0SearchLoaded(Fixture.mem0User, query: "京都", Array(scored)))
        return d
    }

    static func mem0History(_ w: Int, _ h: Int) -> Driver {
        var d = mem0(w, h)
        d.keys(.enter)
        d.send(.mem0HistoryLoaded(memoryID: Fixture.mem0Rows[0].id, Fixture.history))
        return d
    }

    static func memoryRows(_ w: Int, _ h: Int) -> Driver {
        var d = mem0(w, h)
        d.keys(.char("o"))
        d.send(.storedRowsLoaded(MemoryRowsRef(mem0MemoryID: Fixture.mem0Rows[0].id, metadataID: 500, legacyID: 500),
                                 metadata: Fixture.metadataRowView, legacy: Fixture.legacyRowView))
        return d
    }
}

extension Scenario {
    static func metadataRows(_ w: Int, _ h: Int) -> Driver {
        var d = Driver(width: w, height: h, status: Fixture.migratedStatus)
        d.answer(.users(Fixture.users))
        d.keys(.char("M"))
        d.answer(.metadata([
            MetadataRow(id: 500, userID: 1, profileID: 10, mem0MemoryID: "6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10", memoryType: "preference",
                        tags: ["food", "diet"], createdAt: Fixture.date("2024-03-01T09:00:12Z"), updatedAt: nil),
            MetadataRow(id: 2001, userID: 1, profileID: nil, mem0MemoryID: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", memoryType: "fact",
                        tags: ["旅行", "🌸"], createdAt: Fixture.date("2024-05-01T08:00:00Z"), updatedAt: Fixture.date("2024-05-02T08:00:00Z")),
        ]), hasMore: true)
        return d
    }
}
