import ConsoleCore
import Foundation
import GRDB
import Migration
import Storage

/// Pages of the rows verification puts outside "linked": rejected (with the reason) and duplicates, read from the
/// migration journal by keyset on `legacy_id`. A file without a journal (never migrated, or finished) has none.
enum JournalPages {
    static func load(_ list: ListID, query: PageQuery, backward: Bool, db: Database) throws -> (PageRows, hasMore: Bool) {
        let journal = MigrationJournal.journalTable
        guard try db.tableExists(journal) else { return (.classified([]), false) }
        let state = list == .rejectedRows ? JournalState.rejected : JournalState.duplicate
        let contentTable = try db.tableExists("memories") ? "memories"
            : (try db.tableExists("memories_backup") ? "memories_backup" : nil)
        let content = contentTable.map { "(SELECT content FROM \($0) WHERE \($0).id = j.legacy_id)" } ?? "NULL"
        var conditions = ["j.state = ?"]
        var arguments: [DatabaseValueConvertible] = [state.rawValue]
        switch query.anchor {
        case .first, .last: break
        case .after(let id): conditions.append("j.legacy_id > ?"); arguments.append(id)
        case .before(let id): conditions.append("j.legacy_id < ?"); arguments.append(id)
        }
        if let text = query.filter, !text.isEmpty {
            conditions.append("(j.reason LIKE ? ESCAPE '\\' OR \(content) LIKE ? ESCAPE '\\')")
            let pattern = LikePattern.containing(text)
            arguments += [pattern, pattern]
        }
        let sql = """
            SELECT j.legacy_id, j.legacy_user_id, j.reason, j.duplicate_of, \(content) AS content
            FROM \(journal) j WHERE \(conditions.joined(separator: " AND "))
            ORDER BY j.legacy_id \(backward ? "DESC" : "ASC") LIMIT ?
            """
        arguments.append(query.limit + 1)
        var rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        let hasMore = rows.count > query.limit
        if hasMore { rows.removeLast() }
        if backward { rows.reverse() }
        return (.classified(rows.map { row in
            let duplicateOf: Int64? = row["duplicate_of"]
            let reason: String? = row["reason"]
            return ClassifiedRow(id: row["legacy_id"], userID: row["legacy_user_id"],
                                 detail: duplicateOf.map { "duplicate of #\($0)" } ?? reason ?? "rejected",
                                 content: row["content"] ?? "")
        }), hasMore)
    }
}
