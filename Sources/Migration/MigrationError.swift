import Foundation

/// Why a migration, verification or rollback cannot continue, with what the operator should do next.
///
/// Every case leaves the file either unchanged (preflight) or resumable (`memconsole migrate --resume`); the message
/// says which. None carries the API key.
public enum MigrationError: Error, Sendable, Equatable {
    case fileNotFound(path: String)
    case notADatabase(path: String, detail: String)
    case notLegacy(path: String, detail: String)
    case readOnlyFile(path: String)
    case directoryNotWritable(path: String)
    case locked(path: String)
    case runInProgress(path: String)
    /// The file is already in the new schema: nothing to migrate (not a failure for `migrate`).
    case alreadyMigrated(linked: Int, duplicates: Int, rejected: Int)
    case partlyMigrated(path: String, runID: String, accounted: Int, total: Int)
    case nothingToResume(path: String)
    case noMigrationRun(path: String)
    case mem0Unavailable(String)
    case mem0Refused(String)
    case backupFailed(String)
    case unaccountedRows(pending: Int, inFlight: Int)
    case rowKeepsFailing(legacyID: Int64, detail: String)
    case finalizeFailed(String, rolledBack: Bool)
    case rollbackIncomplete(String)
    case database(String)

    /// One line: what is wrong and what to do.
    public var operatorMessage: String {
        switch self {
        case .fileNotFound(let path):
            return "No database at \(path). Check the path."
        case .notADatabase(let path, let detail):
            return "\(path) is not a usable SQLite database (\(detail)). Point memconsole at the chat app's database file."
        case .notLegacy(let path, let detail):
            return "\(path) has no legacy memories table to migrate (\(detail)). Use 'memconsole info \(path)' to see what it is."
        case .readOnlyFile(let path):
            return "\(path) is read-only. Make it writable (chmod u+w) or copy it somewhere writable, then retry; nothing was changed."
        case .directoryNotWritable(let path):
            return "Cannot write in \(path) (the backup, the SQLite journal and the run log go there). Make it writable, then retry; nothing was changed."
        case .locked(let path):
            return "\(path) is locked by another program (is the chat app running?). Stop it, then retry; nothing was changed."
        case .runInProgress(let path):
            return "Another memconsole migrate or rollback is running on \(path). Wait for it to finish (or stop it), then retry."
        case .alreadyMigrated(let linked, let duplicates, let rejected):
            return "Nothing to migrate: the file is already migrated (\(linked) linked, \(duplicates) duplicates, \(rejected) rejected). Run 'memconsole verify' to check it."
        case .partlyMigrated(let path, let runID, let accounted, let total):
            return "\(path) is partly migrated (run \(runID): \(accounted) of \(total) rows done). Continue with 'memconsole migrate \(path) --resume', or undo with 'memconsole rollback \(path)'."
        case .nothingToResume(let path):
            return "\(path) has no interrupted migration to resume. Run 'memconsole migrate \(path)' without --resume."
        case .noMigrationRun(let path):
            return "\(path) carries no migration run (no journal). Nothing to verify or roll back."
        case .mem0Unavailable(let detail):
            return "Mem0 is not usable: \(detail)"
        case .mem0Refused(let detail):
            return "Mem0 refused the migration: \(detail)"
        case .backupFailed(let detail):
            return "The backup failed: \(detail). Nothing was changed; free space or fix permissions, then retry."
        case .unaccountedRows(let pending, let inFlight):
            return "Cannot finalize: \(pending) rows not sent and \(inFlight) unconfirmed. Run 'memconsole migrate --resume'."
        case .rowKeepsFailing(let id, let detail):
            return "Legacy row \(id) keeps failing (\(detail)). The run stopped and can be resumed with 'memconsole migrate --resume' once Mem0 is healthy."
        case .finalizeFailed(let detail, let rolledBack):
            return rolledBack
                ? "Finalizing failed (\(detail)); the run was rolled back: Mem0 memories deleted, file restored to its legacy state."
                : "Finalizing failed (\(detail)) and the automatic rollback did not complete. Run 'memconsole rollback' to finish it."
        case .rollbackIncomplete(let detail):
            return "The rollback did not complete (\(detail)). Run 'memconsole rollback' again; it continues where it stopped."
        case .database(let detail):
            return "SQLite error: \(detail). The file is left as it was at the last commit; retry with --resume."
        }
    }
}

extension MigrationError: LocalizedError {
    public var errorDescription: String? { operatorMessage }
}
