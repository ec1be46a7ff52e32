import ArgumentParser

/// Every exit status memconsole uses, in one table; docs/exit-codes.md is the same table for people.
///
/// Ranges, so each module can add cases without colliding: 1 verification, 2–9 console, 10–29 storage (files and
/// schemas), 30–44 migration, 45–49 drift audit and repair, 64 usage (swift-argument-parser), 65–78 Mem0 (sysexits.h values), 70 internal.
/// Add a case here and a row in docs/exit-codes.md together.
enum ExitStatus: Int32, CaseIterable, Sendable {
    case success = 0
    /// `verify` found Mem0 and the database disagree.
    case verificationMismatch = 1

    // Console: 2–9
    /// `console` needs stdin and stdout to be a terminal.
    case notATerminal = 2
    /// `console` was given a database with no tables.
    case nothingToBrowse = 3

    // Storage: 10–29
    case fileNotFound = 10
    case isDirectory = 11
    case notSQLite = 12
    case corrupt = 13
    case locked = 14
    case readOnly = 15
    case foreignSchema = 16
    case legacyDatabase = 17
    case partlyMigrated = 18
    case alreadyMigrated = 19
    case fileExists = 20
    case cannotCreate = 21
    case constraintViolation = 22
    case rowNotFound = 23
    case sqliteFailure = 24

    // Migration: 30–44 (docs/migration.md)
    /// `migrate --resume` on a file with no interrupted run.
    case nothingToResume = 30
    /// `verify` / `rollback` on a file that carries no migration run.
    case noMigrationRun = 31
    /// The backup could not be written or did not verify; nothing was changed.
    case backupFailed = 32
    /// The run stopped midway (Mem0 kept failing, SQLite error); `migrate --resume` continues it.
    case migrationInterrupted = 33
    /// Finalizing failed and the run was rolled back automatically.
    case finalizeRolledBack = 34
    /// A rollback did not complete; run `rollback` again.
    case rollbackIncomplete = 35
    /// The operator cancelled the run (Ctrl-C, or `x` in the wizard); the file is resumable.
    case migrationCancelled = 36

    // Drift audit and repair: 45–49 (docs/drift-audit.md)
    /// `repair` has disagreeing rows in scope and no `--direction`.
    case repairDirectionRequired = 45
    /// `repair --undo RUN` names no repair run of the file.
    case repairRunNotFound = 46
    /// `repair --undo` left changes alone because the rows or memories changed after the repair.
    case repairUndoIncomplete = 47

    /// Bad arguments or options (swift-argument-parser's own code, EX_USAGE).
    case usage = 64

    // Mem0: sysexits.h values (Mem0Client's errors; see docs/mem0-client.md)
    /// Mem0 refused the request (4xx), EX_DATAERR.
    case mem0RequestRefused = 65
    /// Mem0 is unreachable or failing (5xx), EX_UNAVAILABLE.
    case mem0Unavailable = 69
    /// A failure that is memconsole's own bug, EX_SOFTWARE.
    case internalError = 70
    /// Rate limited, timed out or connection lost: try again later, EX_TEMPFAIL.
    case mem0TryLater = 75
    /// Mem0 answered something memconsole cannot read, EX_PROTOCOL.
    case mem0BadResponse = 76
    /// The API key was refused, EX_NOPERM.
    case mem0Unauthorized = 77
    /// Missing or invalid configuration (Mem0 URL, key, options), EX_CONFIG.
    case configuration = 78

    /// `audit` found drift: the same status as a failed verification ("the stores disagree").
    static let driftFound = ExitStatus.verificationMismatch

    var exitCode: ExitCode { ExitCode(rawValue) }
}
