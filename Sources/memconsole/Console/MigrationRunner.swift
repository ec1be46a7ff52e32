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

    func run() async -> ConsoleCore.Message {
        let fileState = StatusBuilder.fileState(browsed.state)
        let legacyRows: Int
        do {
            legacyRows = try browsed.database.read { db in
                try db.tableExists("memories") ? try Int.fetchOne(db, sql: "SELECT count(*) FROM memories") ?? 0 : 0
            }
        } catch {
            return .preflightFailed(LiveEffects.describe(error))
        }
        guard let mem0 else {
            return .preflightLoaded(PreflightInfo(
                fileState: fileState, legacyRows: legacyRows, mem0Endpoint: "not configured", mem0Dialect: "—",
                pingMilliseconds: nil,
                blocker: "Mem0 is not configured: set MEM0_API_KEY (and --mem0-url or MEM0_URL), then reopen the console."))
        }
        let endpoint = mem0.configuration.endpointDescription
        do {
            let ping = try await mem0.ping()
            let ms = Double(ping.roundTrip.components.seconds) * 1_000
                + Double(ping.roundTrip.components.attoseconds) / 1e15
            let blocker: String? = switch browsed.state {
            case .legacy, .partlyMigrated: nil
            case .migrated: "This file is already migrated; there is nothing to send."
            default: "This file is \(browsed.state.summary)."
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

    private var notConfigured: String {
        "Mem0 is not configured: set MEM0_API_KEY (and --mem0-url or MEM0_URL), then reopen the console."
    }

    func plan(reply: @escaping @Sendable (ConsoleCore.Message) -> Void) async {
        guard let mem0 else { return reply(.migrationEvent(.failed(.mem0Unavailable(notConfigured)))) }
        var settings = MigrationSettings()
        settings.dryRun = true
        await stream(MigrationEngine(file: URL(fileURLWithPath: browsed.database.path), client: mem0,
                                     settings: settings), reply: reply)
    }

    func migrate(_ options: WizardOptions, reply: @escaping @Sendable (ConsoleCore.Message) -> Void) async {
        guard let mem0 else { return reply(.migrationEvent(.failed(.mem0Unavailable(notConfigured)))) }
        var settings = MigrationSettings()
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
