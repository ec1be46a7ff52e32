import Foundation

/// Everything a migration run reports, in the order it happened.
///
/// The engine yields these on one `AsyncStream`; the CLI prints them and the wizard folds them through
/// `MigrationReport.apply(_:)`. A row that fails is an event (`rowRejected`), never a thrown error: `throw` is kept for
/// "the run cannot continue" (and even then the stream ends with `failed`).
public enum MigrationEvent: Sendable, Equatable {
    /// The dry-run classification is done (also the first event of a real run).
    case planned(MigrationPlanSummary)
    /// A verified copy of the file was written before anything changed.
    case backupWritten(path: String, bytes: Int64)
    /// The run started (or resumed) with this id; the file is "partly migrated" from here until `finalized`.
    case runStarted(runID: String, resumed: Bool, pendingRows: Int)
    /// One legacy row now has its Mem0 memory and its `memories_metadata` row.
    case rowLinked(legacyID: Int64, mem0ID: String)
    /// A row that will not be sent, with the reason (in the plan, or because Mem0 refused it for good).
    case rowRejected(legacyID: Int64, reason: RejectionReason)
    /// A row with the same user, profile and content as `canonicalID`: not sent, recorded on the canonical memory.
    case duplicate(legacyID: Int64, canonicalID: Int64)
    /// A request failed transiently and will be tried again (after reconciling when it may have been applied).
    case retry(legacyID: Int64, attempt: Int, reason: String)
    /// Mem0 answered 429; the client now paces at `newRate` requests/s (nil: no pacing, just the pause).
    case rateLimited(retryAfterSeconds: Double?, newRate: Double?)
    /// Periodic progress (about twice a second).
    case progress(MigrationProgress)
    /// A row whose add may have reached Mem0 was looked up by its legacy id before sending again.
    case reconciled(legacyID: Int64, outcome: ReconcileOutcome)
    /// Every row is accounted for and the file now has the new schema.
    case finalized(FinalizeSummary)
    /// Verification finished (after a run, or from `memconsole verify`).
    case verified(VerificationResult)
    /// The run stopped; the message says what to do next. The file is left resumable (or rolled back, as stated).
    case failed(MigrationError)
    /// Always the last event: how the run ended, read from the file (see `RunEnd`).
    case ended(RunEnd)
}

/// Why a legacy row is not sent to Mem0. Stable `code`s are written to the journal and the JSON output.
public enum RejectionReason: Sendable, Equatable, Hashable {
    case emptyContent
    case orphanUser(userID: Int64?)
    case contentTooLarge(bytes: Int, limit: Int)
    case invalidUTF8
    case unreadableDate(column: String, raw: String?)
    case unusableMem0UserID(String)
    /// Mem0 refused the row for good (a 400/422 that is not about rate or availability).
    case refusedByMem0(String)

    /// A short machine-readable code (`empty_content`, `orphan_user`, ...).
    public var code: String {
        switch self {
        case .emptyContent: return "empty_content"
        case .orphanUser: return "orphan_user"
        case .contentTooLarge: return "content_too_large"
        case .invalidUTF8: return "invalid_utf8"
        case .unreadableDate: return "unreadable_date"
        case .unusableMem0UserID: return "unusable_mem0_user_id"
        case .refusedByMem0: return "refused_by_mem0"
        }
    }

    /// The sentence an operator reads.
    public var message: String {
        switch self {
        case .emptyContent: return "content is empty or only whitespace"
        case .orphanUser(let id): return "user \(id.map(String.init) ?? "NULL") does not exist in users"
        case .contentTooLarge(let bytes, let limit): return "content is \(bytes) bytes; Mem0 takes at most \(limit)"
        case .invalidUTF8: return "content is not valid UTF-8"
        case .unreadableDate(let column, let raw): return "\(column) '\(raw ?? "NULL")' is not a date"
        case .unusableMem0UserID(let id): return "'\(id)' cannot be a Mem0 user id (empty or contains whitespace)"
        case .refusedByMem0(let text): return "Mem0 refused it: \(text)"
        }
    }

    /// `code: message`, the form stored in the journal's `reason` column.
    public var journalText: String { "\(code): \(message)" }
}

/// What the dry run found, as counts (the per-row detail is in `MigrationPlan`).
public struct MigrationPlanSummary: Sendable, Equatable, Codable {
    public var legacyRows: Int
    public var migratable: Int
    public var rejected: Int
    public var duplicates: Int
    /// Rows whose profile id points at no profile: migrated, with `memory_profile_id` NULL locally (see docs/migration.md).
    public var orphanProfiles: Int
    public var users: Int
    /// Requests per second the estimate assumes, and where that rate came from ("measured ping", "--rate").
    public var assumedRate: Double
    public var rateSource: String
    public var estimatedSeconds: Double
    public var rejectedByCode: [String: Int]
    /// Which rows the target stores once (`same user, profile and text` on OSS; `same Mem0 user and text` on the
    /// Platform), as the plan applied it.
    public var duplicateRule: String = DuplicateScope.userProfileAndText.rule
    /// What a dry run could not check (no key, Mem0 unreachable, the dialect unknown), one sentence each.
    public var notChecked: [String] = []

    public init(legacyRows: Int = 0, migratable: Int = 0, rejected: Int = 0, duplicates: Int = 0, orphanProfiles: Int = 0,
                users: Int = 0, assumedRate: Double = 0, rateSource: String = "", estimatedSeconds: Double = 0,
                rejectedByCode: [String: Int] = [:]) {
        self.legacyRows = legacyRows; self.migratable = migratable; self.rejected = rejected
        self.duplicates = duplicates; self.orphanProfiles = orphanProfiles; self.users = users
        self.assumedRate = assumedRate; self.rateSource = rateSource; self.estimatedSeconds = estimatedSeconds
        self.rejectedByCode = rejectedByCode
    }
}

/// A progress sample: how far, how fast, how long still.
public struct MigrationProgress: Sendable, Equatable, Codable {
    public var done: Int
    public var total: Int
    public var rowsPerSecond: Double
    public var etaSeconds: Double?
    public var inFlight: Int
    public var concurrency: Int
    public var rateLimit: Double?

    public init(done: Int, total: Int, rowsPerSecond: Double, etaSeconds: Double?, inFlight: Int, concurrency: Int,
                rateLimit: Double?) {
        self.done = done; self.total = total; self.rowsPerSecond = rowsPerSecond; self.etaSeconds = etaSeconds
        self.inFlight = inFlight; self.concurrency = concurrency; self.rateLimit = rateLimit
    }
}

/// What a legacy-id lookup found for a row that may already be in Mem0.
public enum ReconcileOutcome: Sendable, Equatable {
    /// It was there: linked to this memory without sending again.
    case found(mem0ID: String)
    /// More than one copy was there: kept `kept`, deleted the others.
    case foundDuplicates(kept: String, deleted: [String])
    /// It was not there: it will be sent (again).
    case notFound
}

/// What finalize did to the file.
public struct FinalizeSummary: Sendable, Equatable, Codable {
    public var linked: Int
    public var duplicates: Int
    public var rejected: Int
    public var keptBackupTable: Bool
    public var backupPath: String?

    public init(linked: Int, duplicates: Int, rejected: Int, keptBackupTable: Bool, backupPath: String?) {
        self.linked = linked; self.duplicates = duplicates; self.rejected = rejected
        self.keptBackupTable = keptBackupTable; self.backupPath = backupPath
    }
}
