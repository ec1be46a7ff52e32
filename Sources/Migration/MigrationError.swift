import Foundation
import Mem0Client
import Storage

/// Why a migration, verification or rollback cannot continue, with what the operator should do next.
///
/// Every case leaves the file either unchanged (preflight) or resumable (`memconsole migrate --resume`); the message
/// says which. None carries the API key.
public enum MigrationError: Error, Sendable, Equatable {
    case fileNotFound(path: String)
    /// The file cannot be used as it is (a directory, not SQLite, damaged, foreign): Storage's own answer, so every
    /// command reports the same input with the same message and exit code.
    case storage(StorageError)
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
    /// Mem0 failed in a way the run could not work around; `context` says where ("during the final sweep", ...).
    case mem0(Mem0Error, context: String)
    /// Mem0 refused the account, not a row: 401/403/413 on an add, or `consecutive` adds in a row answered with the
    /// same 4xx status whatever their content (the circuit breaker). The run stops resumable and never finalizes.
    case accountRefused(status: Int, message: String?, consecutive: Int)
    /// The operator cancelled the run (`x` in the wizard, Ctrl-C in the CLI); what was sent is kept.
    case cancelled(path: String)
    /// No Mem0 endpoint was given where one is needed.
    case mem0NotConfigured(String)
    case backupFailed(String)
    case unaccountedRows(pending: Int, inFlight: Int)
    /// Rows Mem0 refused with a status that does not describe the row (not 400/422): finalize will not cover them up.
    case unexplainedRefusals(count: Int)
    case rowKeepsFailing(legacyID: Int64, detail: String)
    case finalizeFailed(String, rolledBack: Bool)
    case rollbackIncomplete(String)
    case database(String)

    /// One line: what is wrong and what to do.
    public var operatorMessage: String {
        switch self {
        case .fileNotFound(let path):
            return "No database at \(path). Check the path."
        case .storage(let error):
            return error.operatorMessage
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
        case .mem0(let error, let context):
            return "Mem0 is not usable\(context.isEmpty ? "" : " " + context): \(error.operatorMessage)"
        case .accountRefused(let status, let message, let consecutive):
            let said = message.map { " (\($0))" } ?? ""
            let (what, fix): (String, String)
            switch status {
            case 401: (what, fix) = ("Mem0 rejected the API key (HTTP 401\(said))", "check MEM0_API_KEY or --api-key-file")
            case 403: (what, fix) = ("Mem0 refused this key permission to add memories (HTTP 403\(said))", "check the key's project, role and plan")
            case 413: (what, fix) = ("Mem0 refused more memories: quota exceeded or request too large (HTTP 413\(said))", "raise the account's quota")
            default: (what, fix) = ("Mem0 answered HTTP \(status)\(said) to \(consecutive) add\(consecutive == 1 ? "" : "s") in a row whatever the row, so the account or the server refuses, not the rows", "fix the server or the account")
            }
            return "\(what). The run stopped, resumable, and nothing was finalized: \(fix), then continue with 'memconsole migrate --resume'."
        case .cancelled(let path):
            return "The run was cancelled; every row Mem0 confirmed is kept and the file is resumable. Continue with 'memconsole migrate \(path) --resume', or undo with 'memconsole rollback \(path)'."
        case .mem0NotConfigured(let detail):
            return detail
        case .backupFailed(let detail):
            return "The backup failed: \(detail). Nothing was changed; free space or fix permissions, then retry."
        case .unaccountedRows(let pending, let inFlight):
            return "Cannot finalize: \(pending) rows not sent and \(inFlight) unconfirmed. Run 'memconsole migrate --resume'."
        case .unexplainedRefusals(let count):
            return "Cannot finalize: Mem0 refused \(count) rows with a status that says nothing about the row itself (not 400 or 422), so they must be sent again. Check Mem0, then run 'memconsole migrate --resume'."
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
