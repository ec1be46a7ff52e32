import Testing
import Migration
@testable import ConsoleCore

/// `update` as the only writer: navigation, keyset paging effects, filter, back/quit, Mem0 failures, the wizard.
@Suite struct NavigationTests {
    @Test func launchAsksForTheFirstPageSizedByTheScreen() {
        let d = Driver(width: 80, height: 24)
        // 24 rows − status − breadcrumb − message − hints = 20 body rows; − header = 19 visible; the first load takes two screens.
        #expect(d.effects == [.loadPage(.users, PageQuery(.first, limit: 38))])
        #expect(d.state.isBusy)
    }

    @Test func enterOpensTheUserAndLoadsItsProfiles() {
        var d = Scenario.users(80, 24)
        d.keys(.down)
        let effects = d.keys(.enter)
        #expect(effects == [.loadPage(.profiles(userID: 2), PageQuery(.first, limit: 36))])
        guard let s = d.state.screen.as(UserScreen.self) else { Issue.record("not on user"); return }
        #expect(s.user.username == "yamada")
    }

    @Test func tabsLoadTheirListOnFirstVisitOnly() {
        var d = Scenario.user(80, 24, tab: 0)
        #expect(d.keys(.tab) == [.loadPage(.sessions(userID: 1), PageQuery(.first, limit: 36))])
        d.answer(.sessions(Fixture.sessions))
        #expect(d.keys(.tab) == [.loadPage(.memories(userID: 1, profileID: nil), PageQuery(.first, limit: 36))])
        #expect(d.keys(.backTab) == [])
        guard let s = d.state.screen.as(UserScreen.self) else { Issue.record("not on the expected screen"); return }
        #expect(s.tab == .sessions)
    }

    @Test func qGoesBackAndQuitsOnlyAtTheRoot() {
        var d = Scenario.transcript(80, 24)
        #expect(d.state.stack.count == 3)
        #expect(d.keys(.escape) == [])
        #expect(d.state.stack.count == 2)
        #expect(d.keys(.char("q")) == [])
        #expect(d.keys(.escape) == [])          // Esc on the root does not quit by accident
        #expect(!d.state.hasQuit)
        #expect(d.keys(.char("q")) == [.quit])
        #expect(d.state.hasQuit)
    }

    @Test func goingBackRestoresTheListExactlyAsItWas() {
        var d = Scenario.users(80, 24)
        d.keys(.down, .down)
        d.keys(.enter)
        d.keys(.char("q"))
        guard let list = d.state.screen.as(UsersScreen.self)?.list else { Issue.record("not on the expected screen"); return }
        #expect(list.cursor == 2)
        #expect(list.rows == Fixture.users)
    }

    @Test func sessionOpensTranscriptAndItsAgentLogs() {
        var d = Scenario.user(80, 24, tab: 1)
        #expect(d.keys(.enter) == [.loadPage(.messages(sessionID: 100), PageQuery(.first, limit: 40))])
        d.answer(.messages(Fixture.messages))
        #expect(d.keys(.char("a")) == [.loadPage(.agentLogs(.session(100)), PageQuery(.first, limit: 38))])
    }

    @Test func helpOverlayOpensWithQuestionMarkAndAnyKeyClosesIt() {
        var d = Scenario.users(80, 24)
        d.keys(.char("?"))
        #expect(d.state.showsHelp)
        #expect(d.keys(.char("q")) == [])       // closes the overlay, does not quit
        #expect(!d.state.showsHelp && !d.state.hasQuit)
    }

    @Test func everyBindingTableHasNoKeyTwice() {
        let tables = [Bindings.users, Bindings.user, Bindings.memories, Bindings.sessions, Bindings.agentLogs, Bindings.transcript,
                      Bindings.logDetail, Bindings.diff, Bindings.verification, Bindings.classList, Bindings.mismatches]
            + WizardStep.allCases.map(Bindings.wizard)
        for table in tables {
            let keys = table.flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "\(table.map(\.label))")
            #expect(table.contains { $0.action == .help } || table.contains { $0.keys.contains(.char("?")) } || table == Bindings.wizard(.confirm))
        }
    }
}

@Suite struct PagingTests {
    /// The users list after the first page of 38 (ids 1...38), with more after.
    func firstPage() -> Driver {
        var d = Driver(width: 80, height: 24)
        d.answer(.users(Fixture.page(1...38)), hasMore: true)
        return d
    }

    var list: (Driver) -> PagedList<UserRow> = { d in
        guard let l = d.state.screen.as(UsersScreen.self)?.list else { fatalError() }
        return l
    }

    @Test func downPastTheLastLoadedRowAsksForTheNextPage() {
        var d = firstPage()
        for _ in 0..<37 { #expect(d.keys(.char("j")) == []) }
        #expect(list(d).cursor == 37)
        #expect(list(d).top == 19)
        let next = PageQuery(.after(38), limit: 19)
        #expect(d.keys(.down) == [.loadPage(.users, next)])
        #expect(d.keys(.down) == [])                         // one request in flight at a time
        d.send(.pageLoaded(.users, .users(Fixture.page(39...57)), next, hasMore: true))
        #expect(list(d).selected?.id == 39)
        #expect(list(d).rows.count == 57)                    // within the window of 3 × 19
    }

    @Test func theWindowIsTrimmedSoOnlyAFewPagesAreHeld() {
        var d = firstPage()
        var next: Int64 = 39
        for _ in 0..<6 {
            while d.keys(.pageDown).isEmpty {}
            d.answer(.users(Fixture.page(next...(next + 18))), hasMore: true)
            next += 19
        }
        #expect(list(d).rows.count <= 57)
        #expect(list(d).hasMoreBefore)
        #expect(list(d).rows.last?.id == next - 1)
        // Going up past the first held row asks for the rows before it.
        while d.keys(.pageUp).isEmpty {}
        guard case .loadPage(_, let q)? = d.effects.first else { Issue.record("no load"); return }
        #expect(q.anchor == .before(list(d).rows.first!.id))
    }

    @Test func endIsOneEffectForTheLastPageAndHomeForTheFirst() {
        var d = firstPage()
        #expect(d.keys(.char("G")) == [.loadPage(.users, PageQuery(.last, limit: 38))])
        d.answer(.users(Fixture.page(999_963...1_000_000)), hasMore: true)
        #expect(list(d).selected?.id == 1_000_000)
        #expect(list(d).hasMoreBefore && !list(d).hasMoreAfter)
        #expect(d.keys(.end) == [.loadPage(.users, PageQuery(.last, limit: 38))])
        #expect(d.keys(.char("g")) == [.loadPage(.users, PageQuery(.first, limit: 38))])
        #expect(d.keys(.home) == [.loadPage(.users, PageQuery(.first, limit: 38))])
    }

    @Test func pageDownAtTheEndStopsOnTheLastRow() {
        var d = Driver(width: 80, height: 24)
        d.answer(.users(Fixture.page(1...25)), hasMore: false)
        #expect(d.keys(.pageDown) == [])
        #expect(list(d).cursor == 19)
        #expect(d.keys(.pageDown) == [])
        #expect(list(d).cursor == 24)
        #expect(d.keys(.down) == [])
        #expect(list(d).cursor == 24)
    }

    @Test func aStalePageIsIgnored() {
        var d = firstPage()
        let endQuery = PageQuery(.last, limit: 38)
        d.keys(.char("G"))
        d.keys(.char("g"))                                    // changed their mind before the end arrived
        d.send(.pageLoaded(.users, .users(Fixture.page(999_963...1_000_000)), endQuery, hasMore: true))
        #expect(list(d).rows.first?.id == 1)
        #expect(list(d).isLoading)
    }

    @Test func halfPagesMoveHalfTheView() {
        var d = firstPage()
        d.keys(.ctrl("d"))
        #expect(list(d).cursor == 9)
        d.keys(.ctrl("u"))
        #expect(list(d).cursor == 0)
    }

    @Test func aFailedPageShowsTheErrorAndRetriesWithR() {
        var d = Driver(width: 80, height: 24)
        guard case .loadPage(let id, let q)? = d.effects.first else { Issue.record("not on the expected screen"); return }
        d.send(.pageFailed(id, q, message: "database is locked: close the app holding a write lock, then press r"))
        #expect(list(d).error != nil && !list(d).isLoading)
        #expect(d.screen().text.contains("✗ database is locked"))
        #expect(d.keys(.char("r")) == [.loadPage(.users, PageQuery(.first, limit: 38))])
    }

    @Test func resizeChangesTheNextPageSize() {
        var d = firstPage()
        d.send(.resize(width: 160, height: 40))
        #expect(d.keys(.char("G")) == [.loadPage(.users, PageQuery(.last, limit: 70))])
    }
}

@Suite struct FilterTests {
    @Test func slashOpensAPromptAndEnterReloadsFromTheTopWithTheFilter() {
        var d = Scenario.users(80, 24)
        d.keys(.char("/"))
        #expect(d.state.prompt == "")
        #expect(d.keys(.char("山"), .char("田"), .char("x"), .backspace) == [])
        #expect(d.screen().text.contains("/山田▏"))
        #expect(d.keys(.enter) == [.loadPage(.users, PageQuery(.first, limit: 38, filter: "山田"))])
        #expect(d.state.prompt == nil)
        d.answer(.users([Fixture.users[1]]))
        #expect(d.screen().text.contains("filter “山田”"))
        // Paging keeps the filter.
        #expect(d.keys(.char("G")) == [.loadPage(.users, PageQuery(.last, limit: 38, filter: "山田"))])
    }

    @Test func escapeCancelsAndAnEmptyFilterClears() {
        var d = Scenario.users(80, 24)
        d.keys(.char("/"), .char("a"), .escape)
        #expect(d.state.prompt == nil)
        d.keys(.char("/"), .char("a"), .enter)
        d.answer(.users([]))
        #expect(d.screen().text.contains("no users match “a”"))
        d.keys(.char("/"))
        #expect(d.state.prompt == "a")
        #expect(d.keys(.backspace, .enter) == [.loadPage(.users, PageQuery(.first, limit: 38, filter: nil))])
    }

    @Test func keysTypedIntoThePromptDoNotTriggerBindings() {
        var d = Scenario.users(80, 24)
        d.keys(.char("/"))
        #expect(d.keys(.char("q"), .char("G"), .char("m")) == [])
        #expect(d.state.prompt == "qGm" && !d.state.hasQuit)
    }
}

@Suite struct DiffFlowTests {
    @Test func openingAMemoryFetchesTheRecordWithASpinnerThatTurnsOnTicks() {
        var d = Scenario.user(80, 24, tab: 2, status: Fixture.migratedStatus)
        #expect(d.keys(.enter) == [.fetchMem0Record(MemoryRef(legacyID: 500, mem0ID: "6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10"))])
        let first = d.screen().text
        #expect(first.contains("⠋ fetching the Mem0 record of legacy memory #500…"))
        d.send(.tick)
        #expect(d.screen().text.contains("⠙ fetching"))
    }

    @Test func aFailedFetchShowsTheErrorAndTheLegacyRowAndRRetries() {
        var d = Scenario.user(80, 24, tab: 2, status: Fixture.migratedStatus)
        d.keys(.enter)
        guard case .fetchMem0Record(let ref)? = d.effects.first else { Issue.record("not on the expected screen"); return }
        d.send(.mem0RecordFailed(ref, legacy: Fixture.legacy, message: "Mem0 did not answer within 10 s. Is the server running?"))
        let b = d.screen()
        #expect(b.text.contains("✗ Mem0 could not be asked"))
        #expect(b.text.contains("Mem0 did not answer within 10 s"))
        #expect(b.text.contains("Is vegetarian; loves 京都"))
        #expect(StyleCode.row(b, 2).allSatisfy { $0 == "E" })
        #expect(!d.state.isBusy)                          // no spinner left turning: never a freeze
        #expect(d.keys(.char("r")) == [.fetchMem0Record(ref)])
        #expect(d.state.isBusy)
        #expect(d.keys(.char("q")) == [])                 // leaving while it loads is always possible
    }

    @Test func aResultForAnotherMemoryDoesNotLandOnThisDiff() {
        var d = Scenario.user(80, 24, tab: 2, status: Fixture.migratedStatus)
        d.keys(.enter)
        d.send(.mem0RecordLoaded(MemoryRef(legacyID: 9, mem0ID: nil), legacy: Fixture.legacy, record: nil))
        #expect(d.state.isBusy)
    }

    @Test func theDiffScrollsWhenItIsLongerThanTheScreen() {
        var d = Scenario.diff(80, 12)
        d.keys(.char("G"))
        guard let s = d.state.screen.as(DiffScreen.self) else { Issue.record("not on the expected screen"); return }
        #expect(s.offset == 13 - 7)
        d.keys(.char("g"))
        guard let t = d.state.screen.as(DiffScreen.self) else { Issue.record("not on the expected screen"); return }
        #expect(t.offset == 0)
    }
}

@Suite struct TranscriptTests {
    func long(_ n: Int, from: Int64 = 1) -> [MessageRow] {
        (0..<Int64(n)).map { MessageRow(id: from + $0, role: $0 % 2 == 0 ? "user" : "assistant", content: "message \(from + $0)", createdAt: nil) }
    }

    @Test func scrollingPastTheLoadedMessagesLoadsTheNextPageAndKeepsTheView() {
        var d = Scenario.user(80, 24, tab: 1)
        d.keys(.enter)
        d.answer(.messages(long(40)), hasMore: true)     // 40 messages × 3 lines = 120 lines
        d.keys(.char("G"))
        #expect(d.effects == [.loadPage(.messages(sessionID: 100), PageQuery(.last, limit: 40))])
        d.keys(.char("g"))                                 // changed their mind: the pending end becomes stale
        #expect(d.effects == [.loadPage(.messages(sessionID: 100), PageQuery(.first, limit: 40))])
        d.answer(.messages(long(40)), hasMore: true)
        d.send(.pageLoaded(.messages(sessionID: 100), .messages(long(40, from: 9_961)), PageQuery(.last, limit: 40), hasMore: true))
        guard let t0 = d.state.screen.as(TranscriptScreen.self) else { Issue.record("not on the expected screen"); return }
        #expect(t0.list.rows.first?.id == 1 && t0.lineOffset == 0)
        for _ in 0..<5 { d.keys(.pageDown) }
        guard let t = d.state.screen.as(TranscriptScreen.self) else { Issue.record("not on the expected screen"); return }
        #expect(t.lineOffset == 100)
        let effects = d.keys(.pageDown)
        #expect(effects == [.loadPage(.messages(sessionID: 100), PageQuery(.after(40), limit: 20))])
        let topLine = d.screen().text.split(separator: "\n")[2]
        d.answer(.messages(long(20, from: 41)), hasMore: false)
        #expect(d.screen().text.split(separator: "\n")[2] == topLine)
    }

    @Test func endLoadsTheLastPageAndShowsItsBottom() {
        var d = Scenario.user(80, 24, tab: 1)
        d.keys(.enter)
        d.answer(.messages(long(40)), hasMore: true)
        d.keys(.end)
        d.answer(.messages(long(40, from: 9_961)), hasMore: true)
        let text = d.screen().text
        #expect(text.contains("message 10000"))
        #expect(!text.contains("message 9961\n"))
    }
}

@Suite struct VerificationFlowTests {
    @Test func drillDownFromVerificationEndsInTheDiff() {
        var d = Scenario.verification(80, 24)
        #expect(d.keys(.char("1")) == [.loadPage(.rejectedRows, PageQuery(.first, limit: 38))])
        d.answer(.classified([ClassifiedRow(id: 42, userID: 1, detail: "empty_content: content is empty or only whitespace", content: "  ")]))
        #expect(d.screen().text.contains("empty_content"))
        #expect(d.keys(.enter) == [.fetchMem0Record(MemoryRef(legacyID: 42, mem0ID: nil))])
        d.keys(.char("q"), .char("q"))
        #expect(d.keys(.char("3")) == [])
        #expect(d.screen().text.contains("Mem0 returned 404"))
        #expect(d.keys(.enter) == [.fetchMem0Record(MemoryRef(legacyID: 777, mem0ID: "0a0b0c0d-1111-2222-3333-444455556666"))])
    }

    @Test func theEquationVerdictIsColoured() {
        let bad = Scenario.verification(80, 24).screen()
        let lines = bad.text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let row = lines.firstIndex(where: { $0.contains("Mem0 = linked") }) else { Issue.record("no Mem0 equation"); return }
        #expect(lines[row].contains("✗ DOES NOT HOLD"))
        #expect(StyleCode.row(bad, row).contains("EEEEEEEEEEEEEEE"))
        let good = Scenario.verification(80, 24, result: Fixture.balanced).screen()
        #expect(good.text.components(separatedBy: "✓ holds").count == 3)
        #expect(StyleCode.row(good, 5).contains("ooooww"))   // the accounted bar: linked, then duplicates in their own colour
    }

    @Test func verificationFailureIsShownAndRetried() {
        var d = Driver(width: 80, height: 24)
        d.keys(.char("v"))
        #expect(d.effects == [.loadVerification(sample: nil)])
        d.send(.verificationFailed("the file is not migrated yet: run the migration wizard (m) first"))
        #expect(d.screen().text.contains("✗ verification could not run: the file is not migrated yet"))
        #expect(d.keys(.char("r")) == [.loadVerification(sample: nil)])
    }
}

@Suite struct WizardTests {
    func step(_ d: Driver) -> WizardStep? {
        guard let w = d.state.screen.as(WizardScreen.self) else { return nil }
        return w.step
    }

    @Test func theStepsFollowEachOtherWithTheRightEffects() {
        var d = Scenario.users(80, 24)
        #expect(d.keys(.char("m")) == [.runPreflight])
        #expect(d.keys(.enter) == [])                         // nothing yet: still checking
        d.send(.preflightLoaded(Fixture.preflight))
        #expect(d.keys(.enter) == [.startMigrationPlan])
        #expect(step(d) == .plan)
        #expect(d.keys(.enter) == [])                         // plan not back yet
        d.send(.migrationEvent(.planned(Fixture.plan)))
        d.keys(.enter)
        #expect(step(d) == .options)
        d.keys(.char("j"), .char("j"), .char("+"), .char("+"), .char("j"), .char("+"))
        d.keys(.enter)
        #expect(step(d) == .confirm)
        d.keys(.enter)                                        // Cancel has the focus: back to the options
        #expect(step(d) == .options)
        d.keys(.enter, .tab)
        var expected = WizardOptions(); expected.concurrency = 2; expected.rate = 1
        #expect(d.keys(.enter) == [.startMigration(expected)])
        #expect(step(d) == .run)
        #expect(d.keys(.char("q")) == [])                     // cannot walk away from a running migration
        #expect(step(d) == .run)
        #expect(d.screen().text.contains("press x to cancel"))
        let summary = FinalizeSummary(linked: 1234, duplicates: 40, rejected: 16, keptBackupTable: true, backupPath: nil)
        d.send(.migrationEvent(.finalized(summary)))
        #expect(step(d) == .verify)
        d.send(.migrationEvent(.ended(.finalized(summary, verification: nil))))
        #expect(d.effects == [.loadVerification(sample: nil)])
        d.send(.verificationLoaded(Fixture.balanced))
        d.keys(.enter)
        #expect(step(d) == .done)
        #expect(d.screen().text.contains("✓ Migration finished and verified."))
        #expect(d.keys(.char("v")) == [.loadVerification(sample: nil)])
        guard d.state.screen.as(VerificationScreen.self) != nil else { Issue.record("not on verification"); return }
    }

    @Test func theRunFoldsEventsThroughMigrationReport() {
        let d = Scenario.wizard(80, 24, until: .run)
        guard let w = d.state.screen.as(WizardScreen.self) else { Issue.record("not on the expected screen"); return }
        var report = MigrationReport()
        report.apply(.planned(Fixture.plan))
        report.apply(.backupWritten(path: "/data/chat.db.backup-20240301", bytes: 1_048_576))
        for i in 0..<5 { report.apply(.rowLinked(legacyID: Int64(i), mem0ID: "m\(i)")) }
        report.apply(.rowRejected(legacyID: 42, reason: .emptyContent))
        report.apply(.retry(legacyID: 7, attempt: 1, reason: "HTTP 503"))
        report.apply(.rateLimited(retryAfterSeconds: 1, newRate: 12))
        report.apply(.progress(MigrationProgress(done: 617, total: 1290, rowsPerSecond: 85.2, etaSeconds: 7.9, inFlight: 8, concurrency: 8, rateLimit: nil)))
        #expect(w.report == report)
    }

    @Test func aBlockedPreflightSaysWhyAndDoesNotGoOn() {
        var d = Scenario.users(80, 24)
        d.keys(.char("m"))
        var info = Fixture.preflight
        info.blocker = "Mem0 rejected the API key. Check MEM0_API_KEY for this endpoint."
        d.send(.preflightLoaded(info))
        #expect(d.keys(.enter) == [])
        #expect(step(d) == .preflight)
        #expect(d.screen().text.contains("Mem0 rejected the API key"))
    }

    @Test func cancellingTheRunIsOneEffectAndItsEndIsWhatTheFileSays() {
        var d = Scenario.wizard(80, 24, until: .run)
        #expect(d.keys(.char("x")) == [.cancelMigration])
        #expect(d.keys(.char("x")) == [])
        #expect(d.keys(.char("q")) == [], "no leaving while rows are in flight")
        #expect(step(d) == .run)
        d.send(.migrationEvent(.failed(.cancelled(path: "/data/chat.db"))))
        #expect(d.screen().text.contains("cancelling"), "a failure event alone does not end the run")
        var counts = JournalCounts(); counts.linked = 40; counts.pending = 60
        d.send(.migrationEvent(.ended(.stopped(runID: "r1", counts: counts, reason: .cancelled(path: "/data/chat.db")))))
        #expect(step(d) == .run)
        let text = d.screen().text
        #expect(text.contains("cancelled — resumable"))
        #expect(text.contains("Enter resumes the run"))
        // Resume is offered now, and starts the same engine with resume on.
        var options = WizardOptions(); options.resume = true
        #expect(d.keys(.enter) == [.startMigration(options)])
    }

    @Test func aStopThatIsNotResumableSaysSoAndOffersNoResume() {
        var d = Scenario.wizard(80, 24, until: .run)
        d.send(.migrationEvent(.failed(.finalizeFailed("disk full", rolledBack: true))))
        d.send(.migrationEvent(.ended(.rolledBack(reason: .finalizeFailed("disk full", rolledBack: true)))))
        #expect(d.screen().text.contains("rolled back"))
        #expect(d.keys(.enter) == [])
        #expect(d.keys(.char("q")) == [])
        #expect(step(d) != .run || d.state.stack.count == 1)
    }

    @Test func ctrlCDuringARunAsksThenCancelsCleanlyAndQuitsOnlyOnceItEnded() {
        var d = Scenario.wizard(80, 24, until: .run)
        #expect(d.keys(.ctrl("c")) == [])
        #expect(!d.state.hasQuit)
        #expect(d.screen().text.contains("Ctrl-C again cancels it"))
        #expect(d.keys(.ctrl("c")) == [.cancelMigration])
        #expect(!d.state.hasQuit)
        d.send(.migrationEvent(.ended(.stopped(runID: "r1", counts: JournalCounts(), reason: .cancelled(path: "x")))))
        #expect(d.keys(.ctrl("c")) == [.quit])
    }

    @Test func aPartlyMigratedFileOpensOnTheRunStepWithResume() {
        var d = Scenario.users(80, 24)
        d.keys(.char("m"))
        var info = Fixture.preflight
        info.fileState = .partlyMigrated
        info.interrupted = PreflightInfo.InterruptedRun(runID: "20261201T0000Z-1", accounted: 300, total: 1290, linked: 290)
        d.send(.preflightLoaded(info))
        #expect(d.keys(.enter) == [])
        #expect(step(d) == .run)
        #expect(d.screen().text.contains("300 of 1,290 rows"))
        var options = WizardOptions(); options.resume = true
        #expect(d.keys(.enter) == [.startMigration(options)])
    }

    @Test func theOptionsOfferNoResumeToggle() {
        let w = WizardScreen()
        #expect(!w.optionRows.contains { $0.label.lowercased().contains("resume") })
    }

    @Test func droppingTheOldTableForcesABackupFile() {
        var d = Scenario.wizard(80, 24, until: .options)
        d.keys(.char("j"), .char(" "))       // keep table: no
        d.keys(.char("k"), .char(" "))       // try to switch the backup file off
        guard let w = d.state.screen.as(WizardScreen.self) else { Issue.record("not on the expected screen"); return }
        #expect(!w.options.keepBackupTable && w.options.writeBackupFile)
    }
}

@Suite struct StatusLineTests {
    @Test func showsFileStateEndpointDialectAndNeverAKey() {
        let text = Scenario.users(80, 24).screen().text
        let first = text.split(separator: "\n")[0]
        #expect(first.contains("/data/chat.db") && first.contains("legacy") && first.contains("http://127.0.0.1:8765 (oss)"))
        var d = Scenario.users(80, 24)
        d.send(.statusChanged(StatusInfo(filePath: "/x.db", fileState: .partlyMigrated, mem0Endpoint: "https://api.mem0.ai", mem0Dialect: "platform")))
        #expect(d.screen().text.hasPrefix(" memconsole /x.db  partly migrated  ro  Mem0 https://api.mem0.ai (platform)"))
    }

    @Test func spinnerTurnsOnlyWhileBusySoAnIdleConsoleDoesNotRedraw() {
        var d = Scenario.users(80, 24)
        let before = d.state
        d.send(.tick)
        #expect(d.state == before)
    }
}

@Suite struct RunLoopTests {
    @Test func theLoopRunsEffectsRendersAndQuitsRestoringTheTerminal() {
        let terminal = TestTerminal(width: 80, height: 24, script: [nil, .key(.down), .key(.enter), nil, .key(.char("q")), .key(.char("q"))])
        let loop = RunLoop(terminal: terminal) { effect, inbox in
            switch effect {
            case .loadPage(.users, let q): inbox.send(.pageLoaded(.users, .users(Fixture.users), q, hasMore: false))
            case .loadPage(.profiles(let id), let q) where id == 2: inbox.send(.pageLoaded(.profiles(userID: 2), .profiles(Fixture.profiles), q, hasMore: false))
            default: inbox.send(.error("unexpected \(effect)"))
            }
        }
        let end = loop.run(status: Fixture.status)
        #expect(end.hasQuit)
        #expect(terminal.restored)
        #expect(terminal.frames.contains { $0.text.contains("仕事のメモ") })
        #expect(terminal.frames.first!.text.contains("yamada"))    // the synchronous answer is in the first frame
        #expect(!terminal.frames.contains { $0.text.contains("unexpected") })
    }

    @Test func resizeRedrawsAtTheNewSize() {
        let terminal = TestTerminal(width: 80, height: 24, script: [.resize(width: 100, height: 30), nil])
        let loop = RunLoop(terminal: terminal) { effect, inbox in
            if case .loadPage(let id, let q) = effect { inbox.send(.pageLoaded(id, .users(Fixture.users), q, hasMore: false)) }
        }
        loop.run(status: Fixture.status)
        #expect(terminal.frames.last?.width == 100 && terminal.frames.last?.height == 30)
    }
}
