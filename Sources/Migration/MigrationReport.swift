import Foundation

/// The state of a run as seen from its events: a pure fold shared by the CLI and the wizard.
///
/// Apply every event of the stream in order; the report never does I/O and never reads the clock (rates and ETAs
/// arrive inside `progress` events).
public struct MigrationReport: Sendable, Equatable {
    public var plan: MigrationPlanSummary?
    public var runID: String?
    public var resumed = false
    public var backupPath: String?
    public var linked = 0
    public var rejected = 0
    public var duplicates = 0
    public var retries = 0
    public var rateLimitHits = 0
    public var reconciled = 0
    public var extrasDeleted = 0
    public var lastProgress: MigrationProgress?
    public var rejectedByCode: [String: Int] = [:]
    /// The last few rejections, for a status line or dialog (capped so a huge run stays small).
    public var recentRejections: [RejectedRow] = []
    public var finalized: FinalizeSummary?
    public var verification: VerificationResult?
    public var failure: MigrationError?
    /// How the run ended (the stream's last event); nil while it runs.
    public var end: RunEnd?

    public struct RejectedRow: Sendable, Equatable {
        public var legacyID: Int64
        public var reason: RejectionReason
    }

    public static let recentRejectionLimit = 20

    public init() {}

    public mutating func apply(_ event: MigrationEvent) {
        switch event {
        case .planned(let summary):
            plan = summary
        case .backupWritten(let path, _):
            backupPath = path
        case .runStarted(let id, let wasResumed, _):
            runID = id; resumed = wasResumed
        case .rowLinked:
            linked += 1
        case .rowRejected(let id, let reason):
            rejected += 1
            rejectedByCode[reason.code, default: 0] += 1
            recentRejections.append(RejectedRow(legacyID: id, reason: reason))
            if recentRejections.count > Self.recentRejectionLimit { recentRejections.removeFirst() }
        case .duplicate:
            duplicates += 1
        case .retry:
            retries += 1
        case .rateLimited:
            rateLimitHits += 1
        case .progress(let progress):
            lastProgress = progress
        case .reconciled(_, let outcome):
            reconciled += 1
            if case .foundDuplicates(_, let deleted) = outcome { extrasDeleted += deleted.count }
        case .finalized(let summary):
            finalized = summary
        case .verified(let result):
            verification = result
        case .failed(let error):
            failure = error
        case .ended(let runEnd):
            end = runEnd
        }
    }

    /// Rows accounted for so far (linked, rejected or duplicate), counting only what this stream reported.
    public var accountedFor: Int { linked + rejected + duplicates }
    public var isFinished: Bool { end != nil }
    /// The run ended well, and a verification folded in after it (the wizard's full check) passed too.
    public var succeeded: Bool { (end?.succeeded ?? false) && (verification?.isPassing ?? true) }

    /// Folds a whole stream; convenient for tests and for callers that only want the end state.
    public static func consume(_ events: AsyncStream<MigrationEvent>) async -> MigrationReport {
        var report = MigrationReport()
        for await event in events { report.apply(event) }
        return report
    }
}
