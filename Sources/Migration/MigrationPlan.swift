import Foundation

/// Where a legacy user's memories go in Mem0.
public enum UserIDSource: String, Sendable, Codable, CaseIterable {
    /// The legacy `users.id` as a string (default): stable even if a user is renamed.
    case id
    /// The legacy `users.username`: readable in the Mem0 dashboard; a username with whitespace is rejected.
    case username
}

/// How Mem0 user ids are formed from legacy users: `prefix + (id | username)`.
public struct Mem0UserMapping: Sendable, Equatable, Codable {
    public var source: UserIDSource
    /// Prepended to every Mem0 user id (e.g. `chatapp-`), so several apps can share one Mem0 project.
    public var prefix: String

    public init(source: UserIDSource = .id, prefix: String = "") {
        self.source = source; self.prefix = prefix
    }

    /// The Mem0 user id for a legacy user, or nil when it cannot be one (empty, or contains whitespace — both
    /// dialects refuse those).
    public func mem0UserID(legacyUserID: Int64, username: String?) -> String? {
        let base: String?
        switch source {
        case .id: base = String(legacyUserID)
        case .username: base = username
        }
        guard let base, !base.isEmpty else { return nil }
        let id = prefix + base
        guard !id.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else { return nil }
        return id
    }
}

/// What the plan decided for one legacy row (the per-row part of the dry run; content is not kept).
public struct PlannedRow: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        case migrate
        case reject(RejectionReason)
        case duplicate(of: Int64)
    }
    public var legacyID: Int64
    public var legacyUserID: Int64?
    /// The Mem0 user id it goes to (nil only for rows rejected before a user could be resolved).
    public var mem0UserID: String?
    public var decision: Decision
    /// The profile id exists in `memory_profiles` (false for NULL as well).
    public var profileExists: Bool
}

/// The result of classifying every legacy row: the rows in id order and the counts.
public struct MigrationPlan: Sendable {
    public var rows: [PlannedRow]
    public var summary: MigrationPlanSummary
    /// Canonical legacy id → the later rows that duplicate it (sent as `legacy_duplicate_ids`).
    public var duplicatesByCanonical: [Int64: [Int64]]
}

/// Rules that classify one legacy row, kept pure so they can be tested row by row.
public enum RowClassifier {
    /// The largest content the migration sends. Mem0 documents no limit for either dialect; 100 KB is the largest
    /// value the local OSS server was shown to round-trip exactly (spec mem0-local.md), so longer rows are
    /// rejected with a reason rather than risking truncation.
    public static let defaultMaxContentBytes = 100_000

    /// The facts about a row that decide its fate (duplicates are decided by the planner, which sees all rows).
    public struct Facts: Sendable {
        public var legacyID: Int64
        public var userID: Int64?
        public var userExists: Bool
        public var username: String?
        public var content: [UInt8]?
        public var createdAtRaw: String?
        public var createdAt: Date?

        public init(legacyID: Int64, userID: Int64?, userExists: Bool, username: String?, content: [UInt8]?,
                    createdAtRaw: String?, createdAt: Date?) {
            self.legacyID = legacyID; self.userID = userID; self.userExists = userExists; self.username = username
            self.content = content; self.createdAtRaw = createdAtRaw; self.createdAt = createdAt
        }
    }

    /// nil when the row can be sent; otherwise the first reason, checked in the order an operator would fix them.
    public static func rejection(for facts: Facts, mapping: Mem0UserMapping,
                                 maxContentBytes: Int = defaultMaxContentBytes) -> RejectionReason? {
        guard let userID = facts.userID, facts.userExists else { return .orphanUser(userID: facts.userID) }
        guard let bytes = facts.content else { return .emptyContent }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .invalidUTF8 }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) { return .emptyContent }
        if bytes.count > maxContentBytes { return .contentTooLarge(bytes: bytes.count, limit: maxContentBytes) }
        if facts.createdAt == nil { return .unreadableDate(column: "created_at", raw: facts.createdAtRaw) }
        if mapping.mem0UserID(legacyUserID: userID, username: facts.username) == nil {
            return .unusableMem0UserID(mapping.prefix + (mapping.source == .id ? String(userID) : facts.username ?? ""))
        }
        return nil
    }
}
