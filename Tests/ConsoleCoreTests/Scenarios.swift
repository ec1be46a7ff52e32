import Foundation
import Migration
@testable import ConsoleCore

/// The console driven into each screen through `update` only, the way a person gets there with keys.
enum Scenario {
    static func users(_ w: Int, _ h: Int) -> Driver {
        var d = Driver(width: w, height: h)
        d.answer(.users(Fixture.users))
        return d
    }

    static func user(_ w: Int, _ h: Int, tab: Int, status: StatusInfo = Fixture.status) -> Driver {
        var d = Driver(width: w, height: h, status: status)
        d.answer(.users(Fixture.users))
        d.keys(.enter)
        d.answer(.profiles(Fixture.profiles))
        if tab > 0 {
            d.keys(.char(Character(String(tab + 1))))
            switch tab {
            case 1: d.answer(.sessions(Fixture.sessions))
            case 2: d.answer(.memories(status.fileState == .legacy ? Fixture.memories : Fixture.migratedMemories))
            default: d.answer(.agentLogs(Fixture.logs))
            }
        }
        return d
    }

    static func transcript(_ w: Int, _ h: Int) -> Driver {
        var d = user(w, h, tab: 1)
        d.keys(.enter)
        d.answer(.messages(Fixture.messages))
        return d
    }

    static func logDetail(_ w: Int, _ h: Int, row: Int = 0) -> Driver {
        var d = user(w, h, tab: 3)
        for _ in 0..<row { d.keys(.down) }
        d.keys(.enter)
        return d
    }

    static func diff(_ w: Int, _ h: Int) -> Driver {
        var d = user(w, h, tab: 2, status: Fixture.migratedStatus)
        d.keys(.enter)
        guard case .fetchMem0Record(let ref)? = d.effects.first else { fatalError("\(d.effects)") }
        d.send(.mem0RecordLoaded(ref, legacy: Fixture.legacy, record: Fixture.record))
        return d
    }

    static func verification(_ w: Int, _ h: Int, result: VerificationResult = Fixture.verification) -> Driver {
        var d = Driver(width: w, height: h, status: Fixture.migratedStatus)
        d.answer(.users(Fixture.users))
        d.keys(.char("v"))
        d.send(.verificationLoaded(result))
        return d
    }

    static func wizard(_ w: Int, _ h: Int, until step: WizardStep) -> Driver {
        var d = Driver(width: w, height: h)
        d.answer(.users(Fixture.users))
        d.keys(.char("m"))
        d.send(.preflightLoaded(Fixture.preflight))
        if step == .preflight { return d }
        d.keys(.enter)
        d.send(.migrationEvent(.planned(Fixture.plan)))
        if step == .plan { return d }
        d.keys(.enter)
        if step == .options { return d }
        d.keys(.enter)
        if step == .confirm { return d }
        d.keys(.char("y"))
        d.send(.migrationEvent(.planned(Fixture.plan)))
        d.send(.migrationEvent(.backupWritten(path: "/data/chat.db.backup-20240301", bytes: 1_048_576)))
        for i in 0..<5 { d.send(.migrationEvent(.rowLinked(legacyID: Int64(i), mem0ID: "m\(i)"))) }
        d.send(.migrationEvent(.rowRejected(legacyID: 42, reason: .emptyContent)))
        d.send(.migrationEvent(.retry(legacyID: 7, attempt: 1, reason: "HTTP 503")))
        d.send(.migrationEvent(.rateLimited(retryAfterSeconds: 1, newRate: 12)))
        d.send(.migrationEvent(.progress(MigrationProgress(done: 617, total: 1290, rowsPerSecond: 85.2, etaSeconds: 7.9,
                                                           inFlight: 8, concurrency: 8, rateLimit: nil))))
        if step == .run { return d }
        d.send(.migrationEvent(.finalized(FinalizeSummary(linked: 1234, duplicates: 40, rejected: 16, keptBackupTable: true,
                                                          backupPath: "/data/chat.db.backup-20240301"))))
        d.send(.verificationLoaded(Fixture.verification))
        if step == .verify { return d }
        d.keys(.enter)
        return d
    }
}
