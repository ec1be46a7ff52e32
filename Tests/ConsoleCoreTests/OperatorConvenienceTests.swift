import Testing
@testable import Migration
@testable import ConsoleCore

/// Jump to a row by id (`:` then an id, or `/#40`) and the verification screen's ledger key.
@Suite struct OperatorConvenienceTests {
    @Test func colonAndSlashHashJumpToARowByID() {
        var d = Scenario.users(80, 24)
        d.keys(.char(":"))
        #expect(d.state.prompt == "#")
        #expect(d.keys(.char("4"), .char("0"), .enter) == [.loadPage(.users, PageQuery(.after(39), limit: 38))])
        d.answer(.users(Fixture.page(40...60)), hasMore: true)
        #expect(d.state.screen.as(UsersScreen.self)?.pane.selected?.id == 40)
        #expect(d.state.screen.as(UsersScreen.self)?.list.hasMoreBefore == true)   // k asks for the rows before 40
        #expect(d.keys(.up) == [.loadPage(.users, PageQuery(.before(40), limit: 19))])
        d.answer(.users(Fixture.page(21...39)), hasMore: true)
        #expect(d.state.screen.as(UsersScreen.self)?.pane.selected?.id == 39)
    }

    @Test func slashHashJumpsAndKeepsTheFilterWhileOtherTextFilters() {
        var d = Scenario.users(80, 24)
        d.keys(.char("/"), .char("a"), .enter)
        d.answer(.users([Fixture.users[0]]))
        d.keys(.char("/"))
        #expect(d.state.prompt == "a")
        for _ in 0..<1 { d.keys(.backspace) }
        #expect(d.keys(.char("#"), .char("4"), .char("0"), .enter) == [.loadPage(.users, PageQuery(.after(39), limit: 38, filter: "a"))])
        #expect(ListPane<UserRow>.jumpTarget("# 12") == nil)
        #expect(ListPane<UserRow>.jumpTarget(" #12 ") == 12)
        #expect(ListPane<UserRow>.jumpTarget("#x") == nil)
    }

    @Test func wOnVerificationWritesTheLedgerBesideTheFileAndSaysWhatItWrote() {
        var d = Scenario.verification(80, 24)
        #expect(d.keys(.char("w")) == [.writeLedger(path: "/data/chat.db.ledger.jsonl")])
        var totals = RowLedger.Totals()
        totals.legacyRows = 1290; totals.linked = 1234; totals.duplicate = 40; totals.rejected = 16
        d.send(.ledgerWritten(path: "/data/chat.db.ledger.jsonl", totals))
        #expect(d.state.notice?.text == "✓ ledger written: /data/chat.db.ledger.jsonl · 1,290 rows · balanced")
        d.send(.ledgerFailed(path: "/data/chat.db.ledger.jsonl", message: "cannot write /data/chat.db.ledger.jsonl"))
        #expect(d.state.notice?.isError == true)
    }

    @Test func MListsEveryMetadataRowAndOpensADiffOrYanks() {
        var d = Driver(status: Fixture.migratedStatus)
        d.answer(.users(Fixture.users))
        #expect(d.keys(.char("M")) == [.loadPage(.metadataRows, PageQuery(.first, limit: 38))])
        d = Scenario.metadataRows(80, 24)
        #expect(d.keys(.char("y")) == [.copyToClipboard("6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10")])
        #expect(d.keys(.enter) == [.fetchMem0Record(MemoryRef(legacyID: 500, mem0ID: "6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10"))])
    }
}
