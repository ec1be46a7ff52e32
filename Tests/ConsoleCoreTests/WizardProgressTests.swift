import Testing
import Migration
@testable import ConsoleCore

/// The run step's bar counts from the same report fold as the Linked / Duplicates / Rejected lines under it.
@Suite struct WizardProgressTests {
    @Test func theBarCountsWhatTheLinesBelowItCountNotTheLaggingSample() {
        let d = Scenario.wizard(80, 24, until: .run)        // the sample says 617 done; the events say 5 + 1
        guard let w = d.state.screen.as(WizardScreen.self), let progress = w.runProgress else { Issue.record("no progress"); return }
        #expect(progress.done == w.report.linked + w.report.duplicates + w.report.rejected)
        #expect(progress.done == 6 && progress.total == 1290)
        let text = d.screen().text
        #expect(text.contains("6/1,290"))
        #expect(!text.contains("617"))
    }

    @Test func aResumedRunCountsWhatWasDoneBeforeIt() {
        var d = Scenario.wizard(80, 24, until: .confirm)
        d.keys(.char("y"))
        d.send(.migrationEvent(.runStarted(runID: "r1", resumed: true, pendingRows: 300)))
        for i in 0..<3 { d.send(.migrationEvent(.rowLinked(legacyID: Int64(i), mem0ID: "m\(i)"))) }
        d.send(.migrationEvent(.progress(MigrationProgress(done: 991, total: 1290, rowsPerSecond: 10, etaSeconds: nil,
                                                           inFlight: 1, concurrency: 1, rateLimit: nil))))
        guard let w = d.state.screen.as(WizardScreen.self), let progress = w.runProgress else { Issue.record("no progress"); return }
        #expect(progress.done == 990 + 3)                  // 1,290 − 300 pending at resume, plus this stream's links
        #expect(progress.etaSeconds == 29.7)
    }
}
