import ConsoleCore
import Foundation
import GRDB
import Storage

/// Answers the core's `loadPage` effects with keyset pages from Storage, turned into the core's display rows.
///
/// Every query is a `Browse` keyset query (or, for lists Browse does not cover, GRDB's query interface with bound
/// values): the filter typed after `/` is always a parameter. Per-row counts are computed for the page's rows only.
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
            switch list {
            case .users:
                let page = try Browse.users(matching: query.filter, countingMemoriesIn: try MemoryTable.preferred(in: db))
                    .fetchPage(request, in: db)
                return (.users(page.rows.map(Self.userRow)), more(page))
            case .profiles(let userID):
                let page = try Browse.profiles(ofUser: userID, matching: query.filter).fetchPage(request, in: db)
                let table = try MemoryTable.preferred(in: db)
                let rows = try page.rows.map { profile in
                    ProfileRow(id: profile.id ?? 0, name: profile.name, description: profile.description,
                               isDefault: profile.isDefault,
                               memories: try Self.count(in: table?.rawValue, column: "memory_profile_id",
                                                        equals: profile.id ?? 0, db),
                               createdAt: profile.createdAt.date)
                }
                return (.profiles(rows), more(page))
            case .sessions(let userID):
                let page = try Browse.sessions(ofUser: userID, matching: query.filter).fetchPage(request, in: db)
                let rows = try page.rows.map { session in
                    SessionRow(id: session.id ?? 0, title: session.title,
                               profileName: try session.profileID.flatMap {
                                   try String.fetchOne(db, sql: "SELECT name FROM memory_profiles WHERE id = ?",
                                                       arguments: [$0])
                               },
                               messages: try Self.count(in: "chat_messages", column: "session_id",
                                                        equals: session.id ?? 0, db),
                               startedAt: session.startedAt.date, endedAt: session.endedAt?.date)
                }
                return (.sessions(rows), more(page))
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
                return try MemoryPages.load(userID: userID, profileID: profileID, query: query, request: request,
                                            backward: backward, db: db)
            case .rejectedRows, .duplicateRows:
                return try JournalPages.load(list, query: query, backward: backward, db: db)
            }
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

    /// `count(*)` over an indexed column; 0 when the table does not exist in this file.
    static func count(in table: String?, column: String, equals value: Int64, _ db: Database) throws -> Int {
        guard let table else { return 0 }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier) WHERE \(column) = ?",
                                arguments: [value]) ?? 0
    }
}
