import Foundation

/// The outcome of checking a migrated file against Mem0.
///
/// `isPassing` is what the CLI's exit code follows. The per-user rows feed the console's verification screen.
public struct VerificationResult: Sendable, Equatable, Codable {
    /// Rows in the legacy table (from `memories_backup`, or the run record when the table was skipped).
    public var legacyRows: Int
    public var linked: Int
    public var duplicates: Int
    public var rejected: Int
    /// Links whose Mem0 memory was fetched and compared (all of them unless `--sample`).
    public var checkedLinks: Int
    public var sampled: Bool
    /// Users whose Mem0 count of this run's memories was compared with their links (all of them in a full verify,
    /// except OSS users past the list cap; in a sample only where a count is one request, or the sampled users).
    public var countedUsers = 0
    public var users: [UserVerification]
    public var mismatches: [VerificationMismatch]
    /// Things the operator should know that are not failures (e.g. "user 7 has ≥1000 memories: the OSS server cannot
    /// count them; checked each link by id instead").
    public var notes: [String]

    public init(legacyRows: Int = 0, linked: Int = 0, duplicates: Int = 0, rejected: Int = 0, checkedLinks: Int = 0,
                sampled: Bool = false, users: [UserVerification] = [], mismatches: [VerificationMismatch] = [],
                notes: [String] = []) {
        self.legacyRows = legacyRows; self.linked = linked; self.duplicates = duplicates; self.rejected = rejected
        self.checkedLinks = checkedLinks; self.sampled = sampled; self.users = users; self.mismatches = mismatches
        self.notes = notes
    }

    /// Every legacy row is accounted for.
    public var isBalanced: Bool { legacyRows == linked + duplicates + rejected }
    public var isPassing: Bool { isBalanced && mismatches.isEmpty && users.allSatisfy(\.isMatching) }
}

/// One Mem0 user's counts: what the journal linked versus what Mem0 holds.
public struct UserVerification: Sendable, Equatable, Codable {
    public var mem0UserID: String
    public var legacyUserID: Int64
    public var linked: Int
    /// Memories Mem0 reports for this user; nil when it cannot say (OSS, ≥1000 memories).
    public var mem0Count: Int?
    public var checked: Int
    public var mismatched: Int

    public init(mem0UserID: String, legacyUserID: Int64, linked: Int, mem0Count: Int?, checked: Int, mismatched: Int) {
        self.mem0UserID = mem0UserID; self.legacyUserID = legacyUserID; self.linked = linked
        self.mem0Count = mem0Count; self.checked = checked; self.mismatched = mismatched
    }

    public var isMatching: Bool { (mem0Count == nil || mem0Count == linked) && mismatched == 0 }
}

/// One thing that does not match, with the row it concerns.
public struct VerificationMismatch: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case unbalanced, missingMemory, textDiffers, createdAtDiffers, countDiffers, missingMetadataRow, unfinishedRows
    }
    public var kind: Kind
    public var legacyID: Int64?
    public var mem0ID: String?
    public var detail: String

    public init(kind: Kind, legacyID: Int64? = nil, mem0ID: String? = nil, detail: String) {
        self.kind = kind; self.legacyID = legacyID; self.mem0ID = mem0ID; self.detail = detail
    }
}
