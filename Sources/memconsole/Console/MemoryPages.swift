import ConsoleCore
import Foundation
import GRDB
import Storage

/// Pages of a user's memories: `memories_metadata` (+ its content from `memories_backup`) once migrated, the legacy
/// `memories` table before.
enum MemoryPages {
    static func load(userID: Int64, profileID: Int64?, query: PageQuery, request: PageRequest, backward: Bool,
                     db: Database) throws -> (PageRows, hasMore: Bool) {
        let profileNames = ProfileNames(db: db)
        if try db.tableExists("memories_metadata") {
            let browse = profileID.map { Browse.memoryMetadata(ofProfile: $0, matching: query.filter) }
                ?? Browse.memoryMetadata(ofUser: userID, matching: query.filter)
            let page = try browse.fetchPage(request, in: db)
            let contents = try backupContents(ids: page.rows.compactMap(\.id), db: db)
            let rows = try page.rows.map { m in
                MemoryRow(id: m.id ?? 0, profileID: m.profileID, profileName: try profileNames.name(m.profileID),
                          memoryType: m.memoryType, tags: m.tags.values, mem0ID: m.mem0MemoryID,
                          content: contents[m.id ?? 0], createdAt: m.createdAt.date)
            }
            return (.memories(rows), backward ? page.hasPrevious : page.hasNext)
        }
        // Before migration: the legacy table, read by keyset through GRDB's query interface (bound values only).
        var base = LegacyMemory.all(in: .memories).filter(Column("user_id") == userID)
        if let profileID { base = base.filter(Column("memory_profile_id") == profileID) }
        if let text = query.filter, !text.isEmpty {
            base = base.filter(Column("content").like(LikePattern.containing(text), escape: "\\")
                               || Column("tags").like(LikePattern.containing(text), escape: "\\"))
        }
        var paged = base
        switch query.anchor {
        case .first, .last: break
        case .after(let id): paged = paged.filter(Column("id") > id)
        case .before(let id): paged = paged.filter(Column("id") < id)
        }
        paged = backward ? paged.order(Column("id").desc) : paged.order(Column("id"))
        var records = try paged.limit(query.limit + 1).fetchAll(db)
        let hasMore = records.count > query.limit
        if hasMore { records.removeLast() }
        if backward { records.reverse() }
        let rows = try records.map { m in
            MemoryRow(id: m.id ?? 0, profileID: m.profileID, profileName: try profileNames.name(m.profileID),
                      memoryType: m.memoryType, tags: m.tags.values, mem0ID: nil, content: m.content,
                      createdAt: m.createdAt.date)
        }
        return (.memories(rows), hasMore)
    }

    static func backupContents(ids: [Int64], db: Database) throws -> [Int64: String] {
        guard !ids.isEmpty, try db.tableExists("memories_backup") else { return [:] }
        let placeholders = ids.map { _ in "?" }.joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: "SELECT id, content FROM memories_backup WHERE id IN (\(placeholders))",
                                    arguments: StatementArguments(ids))
        var result: [Int64: String] = [:]
        for row in rows { result[row["id"]] = row["content"] }
        return result
    }
}

/// Profile names looked up once per page.
final class ProfileNames {
    private let db: Database
    private var cache: [Int64: String?] = [:]
    init(db: Database) { self.db = db }
    func name(_ id: Int64?) throws -> String? {
        guard let id else { return nil }
        if let cached = cache[id] { return cached }
        let name = try String.fetchOne(db, sql: "SELECT name FROM memory_profiles WHERE id = ?", arguments: [id])
        cache[id] = name
        return name
    }
}
