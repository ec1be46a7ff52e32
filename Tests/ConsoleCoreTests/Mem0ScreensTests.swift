import Testing
@testable import ConsoleCore

/// The Mem0 side of a user through `update`: the section's pages, search, history, the rows of a memory, the yank.
@Suite struct Mem0ScreensTests {
    static func page(_ ids: ClosedRange<Int>, next: Int?) -> Mem0MemoriesPage {
        Mem0MemoriesPage(mem0UserID: "chatapp-1", rows: ids.map {
            Mem0MemoryRow(id: "m\($0)", text: "memory \($0)", metadata: "{}", createdAt: nil, updatedAt: nil, metadataID: Int64($0), legacyID: nil)
        }, nextPage: next, totalCount: 250, reachedServerCap: false)
    }

    @Test func theMem0SectionAsksForPageOneOnceAndShowsWhatLinksEachMemory() {
        var d = Scenario.user(80, 24, tab: 0, status: Fixture.migratedStatus)
        #expect(d.keys(.char("5")) == [.loadMem0Memories(Fixture.mem0User, page: 1)])
        #expect(d.state.awaitsPage)   // keys wait for the list, as on every section
        d.send(.mem0MemoriesLoaded(Fixture.mem0User, page: 1, Fixture.mem0Page))
        #expect(d.keys(.char("1")) == [])
        #expect(d.keys(.char("5")) == [])   // loaded: not asked again
        let text = d.screen().text
        #expect(text.contains("#500"))
        #expect(text.contains("✗ no row"))
    }

    @Test func platformPagesLoadAsTheCursorReachesTheEndAndAStalePageIsIgnored() {
        var d = Scenario.user(80, 24, tab: 0, status: Fixture.migratedStatus)
        d.keys(.char("5"))
        d.send(.mem0MemoriesLoaded(Fixture.mem0User, page: 1, Self.page(1...200, next: 2)))
        #expect(d.keys(.char("G")) == [.loadMem0Memories(Fixture.mem0User, page: 2)])
        d.send(.mem0MemoriesLoaded(Fixture.mem0User, page: 3, Self.page(401...402, next: nil)))   // not asked for
        #expect(d.state.screen.as(UserScreen.self)?.mem0.rows.count == 200)
        d.send(.mem0MemoriesLoaded(Fixture.mem0User, page: 2, Self.page(201...250, next: nil)))
        let pane = d.state.screen.as(UserScreen.self)?.mem0
        #expect(pane?.rows.count == 250)
        #expect(pane?.selected?.id == "m200")   // the cursor stays where it was
        #expect(d.keys(.char("G")) == [])
        #expect(pane?.footer()?.text.hasPrefix("Mem0 memory 200 of 250 (250 in Mem0)") == true)
    }

    @Test func aFailedPageSaysSoAndRRetriesIt() {
        var d = Scenario.user(80, 24, tab: 0, status: Fixture.migratedStatus)
        d.keys(.char("5"))
        d.send(.mem0MemoriesFailed(Fixture.mem0User, page: 1, message: "Mem0 did not answer within 10 s"))
        #expect(d.screen().text.contains("✗ could not list the memories in Mem0: Mem0 did not answer within 10 s"))
        #expect(d.keys(.char("r")) == [.loadMem0Memories(Fixture.mem0User, page: 1)])
    }

    @Test func sOrSlashSearchesWithinTheUserAndTheResultsAreRanked() {
        var d = Scenario.mem0(80, 24)
        #expect(d.keys(.char("/"), .char("a"), .enter) == [.searchMem0(Fixture.mem0User, query: "a")])
        d.keys(.escape)
        #expect(d.keys(.char("s"), .char("京"), .char("都"), .enter) == [.searchMem0(Fixture.mem0User, query: "京都")])
        d = Scenario.mem0Search(80, 24)
        #expect(d.screen().text.contains("0.912"))
        #expect(d.keys(.char("/"), .backspace, .backspace, .char("x"), .enter) == [.searchMem0(Fixture.mem0User, query: "x")])
        d.send(.mem0SearchLoaded(Fixture.mem0User, query: "x", []))
        #expect(d.screen().text.contains("no memories of this user match “x”"))
    }

    @Test func enterShowsTheHistoryAndOTheRowsAndQComesBackToTheSameMemory() {
        var d = Scenario.mem0(80, 24)
        d.keys(.down)
        #expect(d.keys(.enter) == [.loadMem0History(memoryID: Fixture.mem0Rows[1].id)])
        #expect(d.keys(.char("o")) == [.loadStoredRows(MemoryRowsRef(mem0MemoryID: Fixture.mem0Rows[1].id, metadataID: 2001, legacyID: nil))])
        d.send(.storedRowsLoaded(MemoryRowsRef(mem0MemoryID: Fixture.mem0Rows[1].id, metadataID: 2001, legacyID: nil),
                                 metadata: nil, legacy: nil))
        #expect(d.screen().text.contains("legacy row: none (the app wrote this memory"))
        d.keys(.char("q"), .char("q"))
        #expect(d.state.screen.as(UserScreen.self)?.mem0.selected?.id == Fixture.mem0Rows[1].id)
        #expect(d.keys(.char("y")) == [.copyToClipboard(Fixture.mem0Rows[1].id)])
    }

    @Test func aHistoryShowsEveryEventWithItsOldAndNewText() {
        let text = Scenario.mem0History(80, 24).screen().text
        #expect(text.contains("ADD"))
        #expect(text.contains("old: Is vegetarian"))
        #expect(text.contains("new: Is vegetarian; loves 京都 in spring 🌸"))
        var d = Scenario.mem0(80, 24)
        d.keys(.enter)
        d.send(.mem0HistoryLoaded(memoryID: Fixture.mem0Rows[0].id, []))
        #expect(d.screen().text.contains("no history: Mem0 has no events for this memory"))
    }

    @Test func yInTheMemoriesSectionCopiesTheRowsMem0ID() {
        var d = Scenario.user(80, 24, tab: 2, status: Fixture.migratedStatus)
        #expect(d.keys(.char("y")) == [.copyToClipboard("6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10")])
        #expect(d.state.notice?.text == "copied 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10")
    }
}
