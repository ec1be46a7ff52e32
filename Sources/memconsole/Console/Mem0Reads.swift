import ConsoleCore
import Foundation
import Mem0Client
import Migration
import Storage

/// The Mem0 side of a user for the console: a user's memories page by page, search, a memory's history, each memory
/// with its `MemoryLink` (the metadata row and legacy row it leads to), and those rows as stored.
///
/// Mem0 user ids are named as the file's migration named them (its recorded `--user-id-source`/`--user-id-prefix`),
/// or, for a file with no recorded run, as this console was told (`mapping`).
struct Mem0Reads: Sendable {
    let database: AppDatabase
    let mem0: Mem0Client?
    let mapping: Mem0UserMapping

    typealias Message = ConsoleCore.Message

    private var notConfigured: String {
        "Mem0 is not configured: set MEM0_API_KEY (and --mem0-url or MEM0_URL), then reopen the console."
    }

    func mem0UserID(_ user: Mem0UserRef) throws -> String {
        let recorded = try database.read { db in try MigrationJournal.currentRun(db)?.mapping }
        return (recorded ?? mapping).mem0UserID(legacyUserID: user.legacyUserID, username: user.username)
            ?? String(user.legacyUserID)
    }

    func page(_ user: Mem0UserRef, page: Int) async -> Message {
        guard let mem0 else { return .mem0MemoriesFailed(user, page: page, message: notConfigured) }
        do {
            let userID = try mem0UserID(user)
            let answer = try await mem0.memoriesPage(userID: userID, page: page)
            return .mem0MemoriesLoaded(user, page: page, Mem0MemoriesPage(
                mem0UserID: userID, rows: try rows(answer.memories.map { ($0, nil) }), nextPage: answer.nextPage,
                totalCount: answer.totalCount, reachedServerCap: answer.reachedServerCap))
        } catch {
            return .mem0MemoriesFailed(user, page: page, message: LiveEffects.describe(error))
        }
    }

    func search(_ user: Mem0UserRef, query: String) async -> Message {
        guard let mem0 else { return .mem0SearchFailed(user, query: query, message: notConfigured) }
        do {
            let hits = try await mem0.search(userID: try mem0UserID(user), query: query, limit: 50)
            return .mem0SearchLoaded(user, query: query, try rows(hits.map { ($0.memory, $0.score) }))
        } catch {
            return .mem0SearchFailed(user, query: query, message: LiveEffects.describe(error))
        }
    }

    func history(_ memoryID: String) async -> Message {
        guard let mem0 else { return .mem0HistoryFailed(memoryID: memoryID, message: notConfigured) }
        do {
            return .mem0HistoryLoaded(memoryID: memoryID, try await mem0.history(id: memoryID))
        } catch {
            return .mem0HistoryFailed(memoryID: memoryID, message: LiveEffects.describe(error))
        }
    }

    /// The memory's metadata row and its legacy row (in whichever table holds it now), as stored.
    func storedRows(_ ref: MemoryRowsRef) -> Message {
        do {
            return try database.read { db in
                let link = try MemoryLink.links(for: [ref.mem0MemoryID], in: db)[ref.mem0MemoryID]
                let metadataID = link?.metadata?.id ?? ref.metadataID
                let legacyID = link?.legacyID ?? ref.legacyID
                func view(_ table: String?, _ id: Int64?) throws -> StoredRowView? {
                    guard let table, let id, let columns = try StoredColumn.row(table: table, id: id, db) else { return nil }
                    return StoredRowView(table: table, id: id, columns: columns.map {
                        .init(name: $0.name, storageClass: $0.storageClass, value: $0.value)
                    })
                }
                return .storedRowsLoaded(ref, metadata: try view(MemoryMetadata.databaseTableName, metadataID),
                                         legacy: try view(link?.legacyTable, legacyID))
            }
        } catch {
            return .storedRowsFailed(ref, message: LiveEffects.describe(error))
        }
    }

    /// Mem0 records as console rows, each with its link read in one query for the page.
    private func rows(_ memories: [(Mem0Memory, Double?)]) throws -> [Mem0MemoryRow] {
        let links = try database.read { db in try MemoryLink.links(for: memories.map(\.0.id), in: db) }
        return memories.map { memory, score in
            let link = links[memory.id]
            return Mem0MemoryRow(id: memory.id, text: memory.text, metadata: JSONValue.object(memory.metadata).serialized(),
                                 createdAt: memory.createdAt, updatedAt: memory.updatedAt, metadataID: link?.metadata?.id,
                                 legacyID: link?.legacyID, score: score)
        }
    }
}
