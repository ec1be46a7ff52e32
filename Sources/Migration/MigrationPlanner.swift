import Foundation
import GRDB

/// Classifies every legacy row without writing anything (the dry run, and the first step of a real run).
///
/// Streams rows in id order through a cursor; duplicate detection keeps only a hash per (user, profile, content), and
/// confirms a hash hit by comparing the bytes of the two rows, so 200k rows need neither their contents in memory
/// nor trust in a hash.
public struct MigrationPlanner: Sendable {
    public var mapping: Mem0UserMapping
    public var maxContentBytes: Int
    public var duplicateScope: DuplicateScope

    public init(mapping: Mem0UserMapping = Mem0UserMapping(), maxContentBytes: Int = RowClassifier.defaultMaxContentBytes,
                duplicateScope: DuplicateScope = .userProfileAndText) {
        self.mapping = mapping; self.maxContentBytes = maxContentBytes; self.duplicateScope = duplicateScope
    }

    private struct DuplicateKey: Hashable {
        var scope: String
        var contentHash: Int
        var length: Int
    }

    /// Reads `table` (the legacy `memories`) and decides each row.
    public func plan(_ db: Database, table: String = "memories") throws -> MigrationPlan {
        var rows: [PlannedRow] = []
        var summary = MigrationPlanSummary()
        var canonicalByKey: [DuplicateKey: [Int64]] = [:]
        var duplicatesByCanonical: [Int64: [Int64]] = [:]
        var users = Set<Int64>()
        let cursor = try Row.fetchCursor(db, sql: LegacyRow.selectSQL(table: table))
        while let raw = try cursor.next() {
            let row = LegacyRow(row: raw)
            summary.legacyRows += 1
            let mem0User = row.userID.flatMap { mapping.mem0UserID(legacyUserID: $0, username: row.username) }
            var planned = PlannedRow(legacyID: row.id, legacyUserID: row.userID, mem0UserID: mem0User,
                                     decision: .migrate, profileExists: row.profileExists)
            if let reason = RowClassifier.rejection(for: row.facts, mapping: mapping, maxContentBytes: maxContentBytes) {
                planned.decision = .reject(reason)
                summary.rejected += 1
                summary.rejectedByCode[reason.code, default: 0] += 1
            } else if let content = row.content, let userID = row.userID {
                var hasher = Hasher()
                content.withUnsafeBytes { hasher.combine(bytes: $0) }
                let scopeKey: String
                switch duplicateScope {
                case .userProfileAndText: scopeKey = "\(userID)/\(row.profileID.map(String.init) ?? "-")"
                case .mem0UserAndText: scopeKey = mem0User ?? "\(userID)"
                }
                let key = DuplicateKey(scope: scopeKey, contentHash: hasher.finalize(), length: content.count)
                if let candidates = canonicalByKey[key],
                   let canonical = try candidates.first(where: { try sameContent($0, content, table: table, db) }) {
                    planned.decision = .duplicate(of: canonical)
                    duplicatesByCanonical[canonical, default: []].append(row.id)
                    summary.duplicates += 1
                } else {
                    canonicalByKey[key, default: []].append(row.id)
                    summary.migratable += 1
                    users.insert(userID)
                    if row.profileID != nil && !row.profileExists { summary.orphanProfiles += 1 }
                }
            }
            rows.append(planned)
        }
        summary.users = users.count
        summary.duplicateRule = duplicateScope.rule
        return MigrationPlan(rows: rows, summary: summary, duplicatesByCanonical: duplicatesByCanonical)
    }

    /// Exact check behind a hash hit (duplicates are rare, so this read is rare).
    private func sameContent(_ id: Int64, _ content: [UInt8], table: String, _ db: Database) throws -> Bool {
        let data = try Data.fetchOne(db, sql: "SELECT CAST(content AS BLOB) FROM \(table) WHERE id = ?", arguments: [id])
        return data.map { [UInt8]($0) == content } ?? false
    }

    /// Seconds a run of `rows` adds should take at `rate` requests/s.
    public static func estimate(rows: Int, rate: Double) -> Double {
        rate > 0 ? Double(rows) / rate : 0
    }
}

/// Which legacy rows become one Mem0 memory.
public enum DuplicateScope: Sendable, Equatable {
    /// OSS (which stores every add): the run folds rows with the same user, profile and text.
    case userProfileAndText
    /// The Platform stores identical text once per Mem0 user (an exact hash, whatever the metadata), so rows with the
    /// same user and text in different profiles are one memory too; the plan folds them so the run sends one.
    case mem0UserAndText

    public var rule: String {
        switch self {
        case .userProfileAndText: return "same user, profile and text"
        case .mem0UserAndText: return "same Mem0 user and text, as the Platform de-duplicates"
        }
    }
}
