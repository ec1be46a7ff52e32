import ArgumentParser
import Foundation
import Mem0Client
import Migration

/// `memconsole migrate PATH`: moves every legacy memory into Mem0 exactly once (see docs/migration.md).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move the legacy memories of a chat-assistant database into Mem0, exactly once.",
        discussion: """
        Checks the file and Mem0 first, classifies every row (--dry-run stops there), optionally writes a verified \
        backup, then sends each row once with a journal in the file, so an interrupted run continues with --resume \
        and never duplicates a memory. Ends with the file in the new schema (memories → memories_backup). \
        The run log is <file>.memconsole-logs/run-<id>.log. Exit codes: docs/exit-codes.md.
        """)

    @Argument(help: "The legacy SQLite database file.")
    var path: String

    @Flag(help: "Classify every row and estimate the duration; change nothing.")
    var dryRun = false

    @Flag(help: "Write a verified copy of the file (mode 0600, next to it) before changing anything.")
    var backup = false

    @Flag(help: "Drop the legacy memories table at the end instead of keeping it as memories_backup (a backup file is then always written).")
    var skipBackupTable = false

    @Flag(help: "Continue an interrupted migration of this file.")
    var resume = false

    @Option(help: ArgumentHelp("Requests in flight, fixed (default: adaptive, 8 at first, 1–64).", valueName: "n"))
    var concurrency: Int?

    @Option(help: ArgumentHelp("At most this many requests per second.", valueName: "per-second"))
    var rate: Double?

    @Option(name: .customLong("user-id-source"), help: "Mem0 user id of each legacy user: id (users.id) or username.")
    var userIDSource: UserIDSource = .id

    @Option(name: .customLong("user-id-prefix"), help: ArgumentHelp("Prepended to every Mem0 user id (e.g. chatapp-).", valueName: "prefix"))
    var userIDPrefix = ""

    @Option(name: .customLong("verify-sample"), help: ArgumentHelp("Links compared after the run (0: none; 'memconsole verify' checks all).", valueName: "n"))
    var verifySample = 50

    @Flag(help: "Print NDJSON events and a final summary line.")
    var json = false

    @OptionGroup var mem0: Mem0Options

    func validate() throws {
        if let concurrency, !(1...64).contains(concurrency) { throw ValidationError("--concurrency must be between 1 and 64.") }
        if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate must be a positive number of requests per second.") }
        if verifySample < 0 { throw ValidationError("--verify-sample must be 0 or more.") }
        if dryRun && resume { throw ValidationError("--dry-run and --resume cannot be combined: a resume sends rows.") }
    }

    func run() async throws {
        // A dry run plans offline: without a key it does not contact Mem0 at all, and says what it could not check.
        let client: Mem0Client? = dryRun && !mem0.hasKey() ? nil : try makeMigrationClient(mem0)
        var settings = MigrationSettings()
        settings.dryRun = dryRun
        settings.makeBackup = backup
        settings.skipBackupTable = skipBackupTable
        settings.resume = resume
        settings.concurrency = concurrency
        settings.rateCap = rate
        settings.mapping = Mem0UserMapping(source: userIDSource, prefix: userIDPrefix)
        settings.verifySample = verifySample
        settings.dialect = mem0.dialect
        if skipBackupTable && !backup && !dryRun && !resume {
            printWarning("--skip-backup-table without --backup: a backup file is written anyway, because dropping the legacy table cannot be undone otherwise (rollback reads it).")
        }
        let engine = MigrationEngine(file: URL(fileURLWithPath: path), client: client, settings: settings)
        let printer = MigrationProgressPrinter(json: json)
        // Ctrl-C stops the run cleanly (adds in flight finish and are linked; the file stays resumable); a second
        // Ctrl-C exits at once, which the journal also survives (resume looks up what was in flight).
        let interrupt = InterruptHandler { first in
            if first {
                MigrationProgressPrinter.note("stopping: no new rows are sent; waiting for the adds in flight (Ctrl-C again to quit at once)")
                engine.stop()
            } else {
                Foundation.exit(ExitStatus.migrationCancelled.rawValue)
            }
        }
        defer { interrupt.cancel() }
        var report = MigrationReport()
        for await event in engine.events() {
            report.apply(event)
            printer.handle(event, report: report)
        }
        printer.finish(report)
        guard let end = report.end else { throw ExitStatus.internalError.exitCode }
        if let status = end.exitStatus { throw status.exitCode }
    }
}

extension RunEnd {
    /// The exit status of a run's end: nil for success. The table is docs/migration.md's "How a run ends".
    var exitStatus: ExitStatus? {
        switch self {
        case .planned: return nil
        case .finalized(_, let verification): return verification?.isPassing == false ? .verificationMismatch : nil
        case .refused(.alreadyMigrated): return nil
        case .stopped(_, _, let reason), .refused(let reason): return reason.exitStatus
        case .rolledBack: return .finalizeRolledBack
        }
    }
}

/// The client for migration commands: up to 64 requests in flight (the engine's own window decides how many).
func makeMigrationClient(_ options: Mem0Options) throws -> Mem0Client {
    do {
        return try options.makeClient(maxConcurrentRequests: 64)
    } catch let error as Mem0OptionsError {
        printError(error.operatorMessage)
        throw ExitStatus.configuration.exitCode
    }
}

/// Verification found differences; the details were printed already.
struct VerificationFailed: Error, CLIReportable {
    var result: VerificationResult
    var cliMessage: String {
        "verification failed: \(result.mismatches.count) mismatch(es) (legacy \(result.legacyRows) = linked \(result.linked) + duplicates \(result.duplicates) + rejected \(result.rejected)? \(result.isBalanced ? "yes" : "no")). See 'memconsole verify \(result.legacyRows > 0 ? "PATH" : "PATH")' and docs/migration.md."
    }
    var exitStatus: ExitStatus { .verificationMismatch }
}

extension MigrationError: CLIReportable {
    var cliMessage: String { operatorMessage }

    var exitStatus: ExitStatus {
        switch self {
        case .fileNotFound: return .fileNotFound
        case .storage(let error): return error.exitStatus
        case .notLegacy: return .foreignSchema
        case .readOnlyFile, .directoryNotWritable: return .readOnly
        case .locked, .runInProgress: return .locked
        case .alreadyMigrated: return .alreadyMigrated
        case .partlyMigrated: return .partlyMigrated
        case .nothingToResume: return .nothingToResume
        case .noMigrationRun: return .noMigrationRun
        case .mem0(let error, _): return error.exitStatus
        case .accountRefused(let status, _, _): return [401, 403].contains(status) ? .mem0Unauthorized : .mem0RequestRefused
        case .cancelled: return .migrationCancelled
        case .mem0NotConfigured: return .configuration
        case .unexplainedRefusals: return .migrationInterrupted
        case .backupFailed: return .backupFailed
        case .unaccountedRows, .rowKeepsFailing, .database: return .migrationInterrupted
        case .finalizeFailed(_, let rolledBack): return rolledBack ? .finalizeRolledBack : .rollbackIncomplete
        case .rollbackIncomplete: return .rollbackIncomplete
        }
    }
}

extension UserIDSource: ExpressibleByArgument {}
