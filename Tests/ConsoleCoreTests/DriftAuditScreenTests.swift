import Testing
@testable import Migration
@testable import ConsoleCore

/// The drift audit screen through `update`: the stream's events, selection, the repair review and its confirm,
/// the applied run and its undo line, the yank.
@Suite struct DriftAuditScreenTests {
    @Test func AOpensTheAuditFromUsersAndUserAndRunsIt() {
        var d = Driver(status: Fixture.migratedStatus)
        d.answer(.users(Fixture.users))
        #expect(d.keys(.char("A")) == [.runDriftAudit])
        #expect(d.state.screen.as(DriftAuditScreen.self) != nil)
        d.keys(.escape, .enter)
        d.answer(.profiles(Fixture.profiles))
        #expect(d.keys(.char("A")) == [.runDriftAudit])
    }

    @Test func progressThenResultThenFailure() {
        var d = Driver(status: Fixture.migratedStatus)
        d.answer(.users(Fixture.users))
        d.keys(.char("A"))
        d.send(.driftAudit(.progress(DriftAuditProgress(phase: .listingUsers, done: 3, total: 20))))
        #expect(d.screen().text.contains("listing each user's Mem0 memories"))
        #expect(d.screen().text.contains("3/20"))
        #expect(d.state.isBusy)
        d.send(.driftAudit(.finished(Fixture.driftAudit)))
        #expect(!d.state.isBusy)
        #expect(d.screen().text.contains("✗ drift: 7 dangling · 5 unlinked · 2 disagreeing"))
        #expect(d.keys(.char("r")) == [.runDriftAudit])
        d.send(.driftAudit(.failed(.audit(.noMetadataTable(path: "/data/chat.db")))))
        #expect(d.screen().text.contains("✗ the audit could not run: /data/chat.db has no memories_metadata table"))
    }

    @Test func theReviewListsEveryChangeAndTheFocusStartsOnCancel() {
        var d = Scenario.audit(160, 40)
        d.keys(.char("1"), .char("2"), .char("3"), .char("R"))
        var review = d.state.screen.as(DriftAuditScreen.self)?.review
        #expect(review?.audit.findings.count == 3)
        #expect(review?.plan == nil)   // disagreeing rows chosen, no direction yet: nothing can be applied
        #expect(d.keys(.char("y")) == [])
        #expect(d.state.notice?.text.contains("press d") == true)
        d.keys(.char("d"))
        review = d.state.screen.as(DriftAuditScreen.self)?.review
        #expect(review?.plan?.actions.map(\.kind) == [.deleteMetadataRow, .adoptMemory, .syncToMetadata])
        #expect(review?.focus == 0)
        #expect(d.keys(.enter) == [])                       // Cancel was focused
        #expect(d.state.screen.as(DriftAuditScreen.self)?.review == nil)
        d.keys(.char("R"), .tab)
        let plan = d.state.screen.as(DriftAuditScreen.self)?.review?.plan
        #expect(plan == nil)                                 // a fresh review: the direction is chosen again
        d.keys(.char("d"))
        let chosen = d.state.screen.as(DriftAuditScreen.self)?.review?.plan
        #expect(d.keys(.enter) == chosen.map { [.applyRepair($0)] })
        #expect(d.state.isBusy)
    }

    @Test func repairNeverDeletesAMem0MemoryUnlessXIsPressed() throws {
        var d = Scenario.repairReview(160, 40)
        let kinds = d.state.screen.as(DriftAuditScreen.self)?.review?.plan?.actions.map(\.kind) ?? []
        #expect(!kinds.contains(.deleteMem0Memory))
        d.keys(.char("X"))
        let plan = try #require(d.state.screen.as(DriftAuditScreen.self)?.review?.plan)
        #expect(plan.actions.map(\.kind) == [.deleteMetadataRow, .deleteMem0Memory, .syncToMetadata])
        #expect(d.screen().text.contains("1 Mem0 memory is deleted for good"))
        d.keys(.char("d"))   // row → Mem0 for the disagreeing one
        #expect(d.state.screen.as(DriftAuditScreen.self)?.review?.plan?.actions.last?.kind == .syncToMem0)
    }

    @Test func withNoSelectionRRepairsTheFindingUnderTheCursor() {
        var d = Scenario.audit(80, 24)
        d.keys(.down, .char("R"))
        let review = d.state.screen.as(DriftAuditScreen.self)?.review
        #expect(review?.audit.findings.map(\.kind) == [.unlinked])
        #expect(review?.plan?.actions.map(\.kind) == [.adoptMemory])
        d.keys(.char("q"))
        #expect(d.state.screen.as(DriftAuditScreen.self)?.review == nil)   // q closes the dialog, not the screen
    }

    @Test func anAppliedRunShowsItsUndoCommandAndTheAuditRunsAgain() {
        var d = Scenario.repairReview(160, 40)
        d.keys(.char("y"))
        let run = RepairRun(runID: "20240501-120000-ab12", applied: [], skipped: [])
        #expect(d.send(.repairApplied(run)) == [.runDriftAudit])
        d.send(.driftAudit(.finished(Fixture.cleanAudit)))
        let text = d.screen().text
        #expect(text.contains("✓ repair run 20240501-120000-ab12: 0 applied, 0 left alone · undo: memconsole repair /data/chat.db --undo 20240501-120000-ab12"))
        #expect(text.contains("✓ clean"))
    }

    @Test func spaceSelectsAndYCopiesTheFullMem0ID() {
        var d = Scenario.audit(80, 24)
        d.keys(.char(" "))
        #expect(d.state.screen.as(DriftAuditScreen.self)?.selection == [0])
        #expect(d.keys(.char("y")) == [.copyToClipboard(Fixture.unlinkedID)])   // Space moved to the next finding
        #expect(d.screen().text.contains("Mem0 \(Fixture.unlinkedID) · chatapp-2"))
    }

    @Test func theRunLoopHandsTheYankToTheTerminal() {
        let terminal = TestTerminal(width: 80, height: 24, script: [.key(.char("A")), nil, .key(.char("y")), nil])
        let loop = RunLoop(terminal: terminal) { effect, inbox in
            switch effect {
            case .loadPage(let id, let query): inbox.send(.pageLoaded(id, .users(Fixture.users), query, hasMore: false))
            case .runDriftAudit: inbox.send(.driftAudit(.finished(Fixture.driftAudit)))
            default: break
            }
        }
        _ = loop.run(status: Fixture.migratedStatus)
        #expect(terminal.clipboard == [Fixture.danglingID])
    }
}
