import ConsoleCore
import Foundation
import GRDB
import Mem0Client
import Migration
import Storage

/// The wizard's preflight: the file's state and row count, and a ping of Mem0.
struct WizardPreflight: Sendable {
    let browsed: BrowsedDatabase
    let mem0: Mem0Client?
    let status: LiveStatus

    /// `reply` carries the status line's changes (the dialect the ping detected); the result is the return value.
    func run(reply: @escaping @Sendable (ConsoleCore.Message) -> Void) async -> ConsoleCore.Message {
        let state: DatabaseState
        let legacyRows: Int
        do {
            // Inspected now, not at launch: a run finished in this console has changed it.
            state = try status.inspectFile()
            legacyRows = try browsed.database.read { db in
                try status.schema.check(db)
                return try db.tableExists("memories") ? try Int.fetchOne(db, sql: "SELECT count(*) FROM memories") ?? 0 : 0
            }
        } catch {
            return .preflightFailed(LiveEffects.describe(error))
        }
        let fileState = StatusBuilder.fileState(state)
        guard let mem0 else {
            return .preflightLoaded(PreflightInfo(
                fileState: fileState, legacyRows: legacyRows, mem0Endpoint: "not configured", mem0Dialect: "—",
                pingMilliseconds: nil,
                blocker: "Mem0 is not configured: set MEM0_API_KEY (and --mem0-url or MEM0_URL), then reopen the console."))
        }
        let endpoint = mem0.configuration.endpointDescription
        do {
            let ping = try await mem0.ping()
            status.dialectDetected(ping.dialect, reply: reply)
            let ms = Double(ping.roundTrip.components.seconds) * 1_000
                + Double(ping.roundTrip.components.attoseconds) / 1e15
            let blocker: String? = switch state {
            case .legacy, .partlyMigrated: nil
            case .migrated: "This file is already migrated; there is nothing to send."
            default: "This file is \(state.summary)."
            }
            return .preflightLoaded(PreflightInfo(fileState: fileState, legacyRows: legacyRows, mem0Endpoint: endpoint,
                                                  mem0Dialect: ping.dialect.rawValue, pingMilliseconds: ms,
                                                  blocker: blocker))
        } catch {
            return .preflightLoaded(PreflightInfo(fileState: fileState, legacyRows: legacyRows, mem0Endpoint: endpoint,
                                                  mem0Dialect: mem0.configuration.dialect.rawValue,
                                                  pingMilliseconds: nil, blocker: LiveEffects.describe(error)))
        }
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

    func migrate(_ options: WizardOptions, reply: @escaping @Sendable (ConsoleCore.Message) -> Void) async {
        guard let mem0 else { return reply(.migrationEvent(.failed(.mem0NotConfigured(notConfigured)))) }
        var settings = MigrationSettings()
        settings.mapping = mapping
        settings.makeBackup = options.writeBackupFile
        settings.skipBackupTable = !options.keepBackupTable
        settings.concurrency = options.concurrency
        settings.rateCap = options.rate
        settings.resume = options.resume
        await stream(MigrationEngine(file: URL(fileURLWithPath: browsed.database.path), client: mem0,
                                     settings: settings), reply: reply)
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
}
