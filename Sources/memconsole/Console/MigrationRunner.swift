import ConsoleCore
import Foundation
import GRDB
import Mem0Client
import Migration
import Storage

/// The wizard's preflight: Migration's checks (file, writability, free space, other writers, Mem0, key), mapped
/// onto the wizard's rows.
struct WizardPreflight: Sendable {
    let browsed: BrowsedDatabase
    let mem0: Mem0Client?
    let status: LiveStatus

    /// `reply` carries the status line's changes (the dialect the ping detected); the result is the return value.
    func run(reply: @escaping @Sendable (ConsoleCore.Message) -> Void) async -> ConsoleCore.Message {
        let found = await MigrationPreflight.check(file: URL(fileURLWithPath: browsed.database.path), client: mem0,
                                                   backup: WizardOptions().writeBackupFile)
        if let dialect = found.dialect { status.dialectDetected(dialect, reply: reply) }
        let interrupted = found.interruptedRun.map {
            PreflightInfo.InterruptedRun(runID: $0.runID, accounted: $0.counts.accountedFor, total: $0.counts.total,
                                         linked: $0.counts.linked)
        }
        return .preflightLoaded(PreflightInfo(
            fileState: StatusBuilder.fileState(found.state), legacyRows: found.legacyRows,
            mem0Endpoint: mem0?.configuration.endpointDescription ?? "not configured",
            mem0Dialect: found.dialect?.rawValue ?? mem0?.configuration.dialect.rawValue ?? "—",
            pingMilliseconds: found.pingMilliseconds, blocker: found.blocker,
            checks: found.checks.map { .init(label: $0.name.rawValue, passed: $0.passed, detail: $0.detail) },
            interrupted: interrupted))
    }
}

/// Runs Migration's engine for the wizard (plan, run) and verification, streaming its events back as messages.
struct MigrationRunner: Sendable {
    let browsed: BrowsedDatabase
    let mem0: Mem0Client?
    let mapping: Mem0UserMapping

    private var notConfigured: String {
        "Mem0 is not configured: set MEM0_API_KEY (and --mem0-url or MEM0_URL), then reopen the console."
    }

    func plan(reply: @escaping @Sendable (ConsoleCore.Message) -> Void) async {
        var settings = MigrationSettings()
        settings.dryRun = true
        settings.mapping = mapping
        await stream(MigrationEngine(file: URL(fileURLWithPath: browsed.database.path), client: mem0,
                                     settings: settings), reply: reply)
    }

    /// Runs the migration; `started` receives the engine so that a cancel can stop it cleanly (`MigrationEngine.stop`).
    func migrate(_ options: WizardOptions, started: @Sendable (MigrationEngine) -> Void = { _ in },
                 reply: @escaping @Sendable (ConsoleCore.Message) -> Void) async {
        guard let mem0 else { return reply(.migrationEvent(.failed(.mem0NotConfigured(notConfigured)))) }
        var settings = MigrationSettings()
        settings.mapping = mapping
        settings.makeBackup = options.writeBackupFile
        settings.skipBackupTable = !options.keepBackupTable
        settings.concurrency = options.concurrency
        settings.rateCap = options.rate
        settings.resume = options.resume
        let engine = MigrationEngine(file: URL(fileURLWithPath: browsed.database.path), client: mem0, settings: settings)
        started(engine)
        await stream(engine, reply: reply)
    }

    private func stream(_ engine: MigrationEngine, reply: @escaping @Sendable (ConsoleCore.Message) -> Void) async {
        for await event in engine.events() {
            if Task.isCancelled { break }
            reply(.migrationEvent(event))
        }
    }

    func verify(sample: Int?) async -> ConsoleCore.Message {
        guard let mem0 else { return .verificationFailed(notConfigured) }
        do {
            return .verificationLoaded(try await Verifier.verify(file: URL(fileURLWithPath: browsed.database.path),
                                                                 client: mem0, sample: sample))
        } catch {
            return .verificationFailed(LiveEffects.describe(error))
        }
    }

    /// The drift audit, streamed. The file's migration run names the Mem0 users (as `memconsole audit` without
    /// `--user-id-source`): the audit asks about the file as it was migrated, whatever this console was opened with.
    func audit(reply: @escaping @Sendable (ConsoleCore.Message) -> Void) async {
        guard let mem0 else { return reply(.driftAudit(.failed(.migration(.mem0NotConfigured(notConfigured))))) }
        for await event in DriftAudit(file: URL(fileURLWithPath: browsed.database.path), client: mem0).events() {
            if Task.isCancelled { break }
            reply(.driftAudit(event))
        }
    }

    /// Applies a reviewed repair plan (journaled; `memconsole repair --undo RUN` takes it back).
    func repair(_ plan: RepairPlan) async -> ConsoleCore.Message {
        guard let mem0 else { return .repairFailed(notConfigured) }
        do {
            return .repairApplied(try await DriftRepair(file: URL(fileURLWithPath: browsed.database.path), client: mem0).apply(plan))
        } catch let error as DriftAuditError {
            return .repairFailed(error.operatorMessage)
        } catch {
            return .repairFailed(LiveEffects.describe(error))
        }
    }
}
