import Foundation
import GRDB
import Storage

/// How a migration run ended, as the file records it: the one answer every screen, exit code and JSON summary gives.
///
/// It is read from the file (its schema and the journal) after the engine's work stopped, never inferred from which
/// code path ended the event stream: a run whose last step failed after finalize committed is finalized, and a run
/// that threw while rows were in flight is stopped and resumable. docs/migration.md has the table of every way a
/// run can end, the state it leaves and the exit code.
public enum RunEnd: Sendable, Equatable {
    /// A dry run: the plan was made, nothing was written anywhere.
    case planned
    /// The file has the new schema (memories → memories_backup, or dropped). `verification` is nil when none ran.
    case finalized(FinalizeSummary?, verification: VerificationResult?)
    /// The run stopped midway; the file is partly migrated and `memconsole migrate --resume` continues it.
    case stopped(runID: String, counts: JournalCounts, reason: MigrationError)
    /// The run was undone: the Mem0 memories it created were deleted and the file is legacy again.
    case rolledBack(reason: MigrationError)
    /// Nothing started: the file and Mem0 are as they were.
    case refused(MigrationError)

    /// The stable name in `--json` (`end_state`) and in docs/migration.md's table.
    public var name: String {
        switch self {
        case .planned: return "planned"
        case .finalized: return "finalized"
        case .stopped: return "stopped_resumable"
        case .rolledBack: return "rolled_back"
        case .refused: return "refused"
        }
    }

    /// The file can be continued with `--resume`.
    public var isResumable: Bool {
        if case .stopped = self { return true }
        return false
    }

    /// The run did what was asked: a plan, or a finalized file whose verification (if any) passed. "Nothing to
    /// migrate" on a migrated file is not a failure either.
    public var succeeded: Bool {
        switch self {
        case .planned: return true
        case .finalized(_, let verification): return verification?.isPassing ?? true
        case .refused(.alreadyMigrated): return true
        case .stopped, .rolledBack, .refused: return false
        }
    }

    /// Why it did not finish, when it did not.
    public var reason: MigrationError? {
        switch self {
        case .planned, .finalized: return nil
        case .stopped(_, _, let reason), .rolledBack(let reason), .refused(let reason): return reason
        }
    }

    /// One line an operator reads, the same in the CLI and the wizard.
    public var headline: String {
        switch self {
        case .planned:
            return "dry run: nothing was changed"
        case .finalized(let summary, let verification):
            let counts = summary.map { ": \($0.linked) linked, \($0.duplicates) duplicates, \($0.rejected) rejected" } ?? ""
            let verified: String
            switch verification {
            case nil: verified = ""
            case let v? where v.isPassing: verified = "; verification passed"
            case let v?: verified = "; verification FAILED (\(v.mismatches.count) mismatches)"
            }
            return "finalized\(counts)\(verified)"
        case .stopped(let runID, let counts, let reason):
            var kind = "stopped — resumable"
            if case .cancelled = reason { kind = "cancelled — resumable" }
            return "\(kind): run \(runID), \(counts.accountedFor) of \(counts.total) rows done (\(counts.linked) linked), \(counts.pending + counts.inFlight) to send"
        case .rolledBack:
            return "rolled back: the run's Mem0 memories were deleted and the file is legacy again"
        case .refused(.alreadyMigrated):
            return "nothing to migrate: the file is already migrated"
        case .refused:
            return "refused: nothing was changed"
        }
    }

    /// Reads how a run on `file` ended. `started` says whether this run created or resumed a journal (so a file that
    /// was partly migrated before and is still is "refused", not "stopped"); `failure` is what stopped it, if anything.
    static func read(file: URL, started: Bool, dryRun: Bool, failure: MigrationError?,
                     finalized: FinalizeSummary?, verification: VerificationResult?) -> RunEnd {
        if dryRun { return failure.map(RunEnd.refused) ?? .planned }
        guard started else { return .refused(failure ?? .database("the run ended before it started")) }
        let recorded: (state: DatabaseState, run: MigrationRun?, counts: JournalCounts)?
        do {
            let database = try AppDatabase.open(at: file.path, mode: .readOnly, busyTimeout: 5)
            defer { try? database.close() }
            recorded = try database.read { db in
                let state = try DatabaseInspector.state(of: db)
                let hasJournal = try MigrationJournal.exists(db)
                return (state, hasJournal ? try MigrationJournal.currentRun(db) : nil,
                        hasJournal ? try MigrationJournal.counts(db) : JournalCounts())
            }
        } catch {
            recorded = nil
        }
        guard let recorded else {
            // The file cannot be read back; say what the events showed, and that the file must be checked.
            if finalized != nil { return .finalized(finalized, verification: verification) }
            return .stopped(runID: "?", counts: JournalCounts(), reason: failure ?? .database("the file could not be read back after the run"))
        }
        switch recorded.state {
        case .migrated:
            return .finalized(finalized, verification: verification)
        case .partlyMigrated:
            let reason = failure ?? .unaccountedRows(pending: recorded.counts.pending, inFlight: recorded.counts.inFlight)
            return .stopped(runID: recorded.run?.id ?? "?", counts: recorded.counts, reason: reason)
        case .legacy:
            return .rolledBack(reason: failure ?? .database("the run was rolled back"))
        default:
            return .refused(failure ?? .database("the file is \(recorded.state.summary) after the run"))
        }
    }
}
