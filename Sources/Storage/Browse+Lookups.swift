import GRDB

/// The per-page lookups of the browse lists: names and counts for the rows of one page, one grouped query each
/// (never per row, never the whole table), and single legacy rows by id. Every value is a bound parameter.
extension Browse {
    /// The names of these profiles.
    public static func profileNames(_ ids: [Int64], in db: Database) throws -> [Int64: String] {
        try pairs("SELECT id, name FROM memory_profiles WHERE id IN", ids, db)
    }

    /// How many memories each of these profiles has: legacy rows in `source`, or `memories_metadata` rows when the
    /// old table was dropped (the same rule as the users list's count).
    public static func memoryCounts(ofProfiles ids: [Int64], in source: LegacySource, _ db: Database) throws -> [Int64: Int] {
        let table = source.isInThisFile ? source.tableName : "memories_metadata"
        guard try db.tableExists(table) else { return [:] }
        return try pairs("SELECT memory_profile_id, count(*) FROM \(table) WHERE memory_profile_id IN", ids, db,
                         suffix: " GROUP BY memory_profile_id")
    }

    /// How many messages each of these sessions has.
    public static func messageCounts(ofSessions ids: [Int64], _ db: Database) throws -> [Int64: Int] {
        try pairs("SELECT session_id, count(*) FROM chat_messages WHERE session_id IN", ids, db, suffix: " GROUP BY session_id")
    }

    /// Legacy rows in `source`; nil when they are not in this file (the old table was dropped).
    public static func legacyRowCount(in source: LegacySource, _ db: Database) throws -> Int? {
        guard source.isInThisFile, try db.tableExists(source.tableName) else { return nil }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(source.tableName)") ?? 0
    }

    /// The legacy row `id` in `source` (nil when there is none, or the rows are not in this file).
    public static func legacyMemory(id: Int64, in source: LegacySource, _ db: Database) throws -> LegacyMemory? {
        guard source.isInThisFile, try db.tableExists(source.tableName) else { return nil }
        return try LegacyMemory.all(in: source).filter(Column("id") == id).fetchOne(db)
    }

    /// The contents of these legacy rows in `source` (empty when the rows are not in this file).
    public static func legacyContents(_ ids: [Int64], in source: LegacySource, _ db: Database) throws -> [Int64: String] {
        guard source.isInThisFile, try db.tableExists(source.tableName) else { return [:] }
        return try pairs("SELECT id, content FROM \(source.tableName) WHERE id IN", ids, db)
    }

    /// The Mem0 ids that `memories_metadata` records for these legacy ids (a metadata row keeps its legacy row's id).
    public static func linkedMem0IDs(_ legacyIDs: [Int64], _ db: Database) throws -> [Int64: String] {
        guard try db.tableExists("memories_metadata") else { return [:] }
        return try pairs("SELECT id, mem0_memory_id FROM memories_metadata WHERE id IN", legacyIDs, db)
    }

    private static func pairs<Value: DatabaseValueConvertible>(_ sql: String, _ ids: [Int64], _ db: Database,
                                                               suffix: String = "") throws -> [Int64: Value] {
        guard !ids.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var result: [Int64: Value] = [:]
        for row in try Row.fetchAll(db, sql: "\(sql) (\(placeholders))\(suffix)", arguments: StatementArguments(ids)) {
            if let key: Int64 = row[0], let value: Value = row[1] { result[key] = value }
        }
        return result
    }
}
