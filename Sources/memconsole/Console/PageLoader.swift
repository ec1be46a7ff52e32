import ConsoleCore
import Foundation
import GRDB
import Migration
import Storage

/// Answers the core's `loadPage` effects: Storage's and Migration's keyset queries, their rows mapped to the core's
/// display rows. No SQL here: every query (pages, per-page names and counts, link states) is Storage's or
/// Migration's, next to its tests.
struct PageLoader: Sendable {
    let database: AppDatabase
    let schema: SchemaWatch

    func load(_ list: ListID, _ query: PageQuery) throws -> (PageRows, hasMore: Bool) {
        let request = PageRequest(Self.anchor(query.anchor), limit: query.limit)
        let backward: Bool
        switch query.anchor {
        case .first, .after: backward = false
        case .before, .last: backward = true
        }
        return try database.read { db in
            try schema.check(db)
            func more<Row>(_ page: Page<Row>) -> Bool { backward ? page.hasPrevious : page.hasNext }
            let source = try LegacySource.of(db)
            switch list {
            case .users:
                let page = try Browse.users(matching: query.filter, countingMemoriesIn: source).fetchPage(request, in: db)
                return (.users(page.rows.map(Self.userRow)), more(page))
            case .profiles(let userID):
                let page = try Browse.profiles(ofUser: userID, matching: query.filter).fetchPage(request, in: db)
                let counts = try Browse.memoryCounts(ofProfiles: page.rows.compactMap(\.id), in: source, db)
                return (.profiles(page.rows.map { profile in
                    ProfileRow(id: profile.id ?? 0, name: profile.name, description: profile.description,
                               isDefault: profile.isDefault, memories: counts[profile.id ?? 0] ?? 0,
                               createdAt: profile.createdAt.date)
                }), more(page))
            case .sessions(let userID):
                let page = try Browse.sessions(ofUser: userID, matching: query.filter).fetchPage(request, in: db)
                let names = try Browse.profileNames(page.rows.compactMap(\.profileID), in: db)
                let counts = try Browse.messageCounts(ofSessions: page.rows.compactMap(\.id), db)
                return (.sessions(page.rows.map { session in
                    SessionRow(id: session.id ?? 0, title: session.title, profileName: session.profileID.flatMap { names[$0] },
                               messages: counts[session.id ?? 0] ?? 0, startedAt: session.startedAt.date,
                               endedAt: session.endedAt?.date)
                }), more(page))
            case .messages(let sessionID):
                let page = try Browse.messages(ofSession: sessionID, matching: query.filter).fetchPage(request, in: db)
                return (.messages(page.rows.map {
                    MessageRow(id: $0.id ?? 0, role: $0.role, content: $0.content, createdAt: $0.createdAt.date)
                }), more(page))
            case .agentLogs(let scope):
                let browse: KeysetQuery<AgentLog>
                switch scope {
                case .user(let userID): browse = Browse.agentLogs(ofUser: userID, matching: query.filter)
                case .session(let sessionID): browse = Browse.agentLogs(ofSession: sessionID, matching: query.filter)
                }
                let page = try browse.fetchPage(request, in: db)
                return (.agentLogs(page.rows.map {
                    AgentLogRow(id: $0.id ?? 0, level: $0.level, agent: $0.agentName, action: $0.action,
                                sessionID: $0.sessionID, details: $0.details, createdAt: $0.createdAt.date)
                }), more(page))
            case .memories(let userID, let profileID):
                return try memories(userID: userID, profileID: profileID, filter: query.filter, request: request,
                                    source: source, backward: backward, db)
            case .metadataRows:
                // A file never migrated has no such table: an empty list ("no metadata rows"), not an error.
                guard try db.tableExists(MemoryMetadata.databaseTableName) else { return (.metadata([]), false) }
                let page = try Browse.memoryMetadata(matching: query.filter).fetchPage(request, in: db)
                return (.metadata(page.rows.map { m in
                    MetadataRow(id: m.id ?? 0, userID: m.userID, profileID: m.profileID, mem0MemoryID: m.mem0MemoryID,
                                memoryType: m.memoryType, tags: m.tags.values, createdAt: m.createdAt.date,
                                updatedAt: m.updatedAt.date)
                }), more(page))
            case .rejectedRows, .duplicateRows:
                guard try MigrationJournal.exists(db) else { return (.classified([]), false) }
                let state: JournalState = list == .rejectedRows ? .rejected : .duplicate
                let page = try MigrationJournal.classified(state, contentIn: source, matching: query.filter)
                    .fetchPage(request, in: db)
                return (.classified(page.rows.map { row in
                    ClassifiedRow(id: row.legacyID, userID: row.legacyUserID,
                                  detail: row.duplicateOf.map { "duplicate of #\($0)" } ?? row.reason ?? "rejected",
                                  content: row.content ?? "")
                }), more(page))
            }
        }
    }

    /// Every legacy row of the user (or profile) with its link state while the legacy rows are in the file; the
    /// `memories_metadata` rows (content in Mem0) once the old table was dropped.
    private func memories(userID: Int64, profileID: Int64?, filter: String?, request: PageRequest, source: LegacySource,
                          backward: Bool, _ db: Database) throws -> (PageRows, hasMore: Bool) {
        func more<Row>(_ page: Page<Row>) -> Bool { backward ? page.hasPrevious : page.hasNext }
        if source.isInThisFile {
            let browse = profileID.map { Browse.legacyMemories(ofProfile: $0, in: source, matching: filter) }
                ?? Browse.legacyMemories(ofUser: userID, in: source, matching: filter)
            let page = try browse.fetchPage(request, in: db)
            let ids = page.rows.compactMap(\.id)
            let names = try Browse.profileNames(page.rows.compactMap(\.profileID), in: db)
            let links = try MigrationJournal.links(ids, db)
            let metadata = try Browse.linkedMem0IDs(ids, db)
            return (.memories(page.rows.map { m in
                let id = m.id ?? 0
                let link = links[id]
                return MemoryRow(id: id, profileID: m.profileID, profileName: m.profileID.flatMap { names[$0] },
                                 memoryType: m.memoryType, tags: m.tags.values,
                                 mem0ID: link?.mem0MemoryID ?? metadata[id], content: m.content,
                                 createdAt: m.createdAt.date, link: link.map(Self.legacyRowState))
            }), more(page))
        }
        let browse = profileID.map { Browse.memoryMetadata(ofProfile: $0, matching: filter) }
            ?? Browse.memoryMetadata(ofUser: userID, matching: filter)
        let page = try browse.fetchPage(request, in: db)
        let names = try Browse.profileNames(page.rows.compactMap(\.profileID), in: db)
        return (.memories(page.rows.map { m in
            MemoryRow(id: m.id ?? 0, profileID: m.profileID, profileName: m.profileID.flatMap { names[$0] },
                      memoryType: m.memoryType, tags: m.tags.values, mem0ID: m.mem0MemoryID, content: nil,
                      createdAt: m.createdAt.date, link: .linked)
        }), more(page))
    }

    static func legacyRowState(_ link: RowLink) -> LegacyRowState {
        switch link.state {
        case .pending: return .pending
        case .inFlight: return .inFlight
        case .linked: return .linked
        case .rejected: return .rejected(link.reason)
        case .duplicate: return .duplicate(of: link.duplicateOf)
        }
    }

    static func anchor(_ anchor: PageAnchor) -> PageRequest.Anchor {
        switch anchor {
        case .first: return .first
        case .after(let id): return .after(id)
        case .before(let id): return .before(id)
        case .last: return .last
        }
    }

    static func userRow(_ summary: UserSummary) -> UserRow {
        UserRow(id: summary.user.id ?? 0, username: summary.user.username, displayName: summary.user.displayName,
                profiles: Int(summary.profileCount), sessions: Int(summary.sessionCount),
                memories: Int(summary.memoryCount), createdAt: summary.user.createdAt.date)
    }
}
