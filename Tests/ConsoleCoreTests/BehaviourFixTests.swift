import Foundation
import Migration
import Testing
@testable import ConsoleCore

/// The behaviour fixes of the console issue, one test each.
@Suite struct BehaviourFixTests {
    static let partlyMigrated = StatusInfo(filePath: "/data/chat.db", fileState: .partlyMigrated,
                                           mem0Endpoint: "http://127.0.0.1:8765", mem0Dialect: "oss")

    @Test func aPartlyMigratedFileShowsEveryLegacyRowWithItsLinkState() {
        var d = Driver(width: 120, height: 24, status: Self.partlyMigrated)
        d.answer(.users(Fixture.users))
        d.keys(.enter)
        d.answer(.profiles(Fixture.profiles))
        d.keys(.char("3"))
        func row(_ id: Int64, _ link: LegacyRowState?, mem0ID: String? = nil) -> MemoryRow {
            MemoryRow(id: id, profileID: 10, profileName: "default", memoryType: "fact", tags: [], mem0ID: mem0ID,
                      content: "memory \(id)", createdAt: nil, link: link)
        }
        d.answer(.memories([row(1, .linked, mem0ID: "6f1c2a9e-0b7d"), row(2, .inFlight), row(3, .pending),
                            row(4, .rejected("empty_content")), row(5, .duplicate(of: 1)), row(6, nil)]))
        let lines = d.screen().text.split(separator: "\n").map(String.init)
        func line(_ id: Int) -> String { lines.first { $0.contains("memory \(id) ") } ?? "" }
        #expect(line(1).contains("6f1c2a9e-0b7d"))
        #expect(line(2).contains("… in flight"))
        #expect(line(3).contains("· pending"))
        #expect(line(4).contains("✗ rejected"))
        #expect(line(5).contains("= dup of #1"))
        #expect(line(6).contains("✗ not linked"))
    }

    @Test func slashFiltersTheTranscript() {
        var d = Scenario.transcript(80, 24)
        d.keys(.char("/"))
        #expect(d.state.prompt == "", "the / prompt opens in the transcript")
        for c in "京都" { d.keys(.char(c)) }
        let effects = d.keys(.enter)
        #expect(effects == [.loadPage(.messages(sessionID: 100), PageQuery(.first, limit: 40, filter: "京都"))])
        d.answer(.messages([Fixture.messages[0]]))
        #expect(d.screen().text.contains("filter “京都”"))
    }

    /// Ids as numbers (1, 2, 10), not as text (1, 10, 2); PgDn, G and g move like in every list; Enter opens the user.
    @Test func theVerificationTableSortsNumericallyPagesAndOpensTheUser() {
        var d = Driver(width: 80, height: 30, status: Fixture.migratedStatus)
        d.answer(.users(Fixture.users))
        d.keys(.char("v"))
        let ids: [Int64] = [10, 2, 1, 11, 3] + Array(20...60)
        let users = ids.map { UserVerification(mem0UserID: String($0), legacyUserID: $0, linked: 1, mem0Count: 1, checked: 1, mismatched: 0) }
        var result = Fixture.verification
        result.users = users
        d.send(.verificationLoaded(result))
        guard let v = d.state.screen.as(VerificationScreen.self), case .loaded(let shown) = v.phase else {
            Issue.record("not loaded"); return
        }
        #expect(shown.users.prefix(5).map(\.legacyUserID) == [1, 2, 3, 10, 11])
        let firstRows = d.screen().text.split(separator: "\n").filter { $0.hasPrefix("1 ") || $0.hasPrefix("10 ") || $0.hasPrefix("2 ") }
        #expect(firstRows.first?.hasPrefix("1 ") == true)
        let viewport = Layout.viewport(of: d.state.screen, in: d.state)
        d.keys(.pageDown)
        #expect(d.state.screen.as(VerificationScreen.self)?.users.cursor == viewport)
        d.keys(.char("G"))
        #expect(d.state.screen.as(VerificationScreen.self)?.users.cursor == users.count - 1)
        d.keys(.char("g"))
        #expect(d.state.screen.as(VerificationScreen.self)?.users.cursor == 0)
        d.keys(.down)
        let effects = d.keys(.enter)
        #expect(effects == [.loadPage(.profiles(userID: 2), PageQuery(.first, limit: 48))])
        #expect(d.state.screen.as(UserScreen.self)?.user.id == 2)
    }

    /// The options are data: each row changes the option it shows, whatever the order of the list.
    @Test func everyWizardOptionRowChangesTheOptionItShows() {
        for (index, option) in WizardOption.allCases.enumerated() {
            var d = Scenario.wizard(80, 24, until: .options)
            for _ in 0..<index { d.keys(.char("j")) }
            guard let before = d.state.screen.as(WizardScreen.self) else { Issue.record("no wizard"); return }
            d.keys(.char(" "))
            guard let after = d.state.screen.as(WizardScreen.self) else { Issue.record("no wizard"); return }
            let changed = zip(before.optionRows, after.optionRows).enumerated().filter { $0.element.0.value != $0.element.1.value }.map(\.offset)
            if option == .backupFile {
                #expect(changed == [index], "\(option.label)")
            } else if option == .keepBackupTable {
                #expect(changed.contains(index), "\(option.label)")
            } else {
                #expect(changed == [index], "\(option.label)")
            }
            #expect(after.optionRows[index].label == option.label)
        }
    }

    @Test func refreshKeepsTheCursorOnUsers() {
        var d = Driver(width: 80, height: 24)
        d.answer(.users(Fixture.page(1...40)), hasMore: true)
        d.keys(.down, .down, .down)
        let effects = d.keys(.char("r"))
        #expect(effects == [.loadPage(.users, PageQuery(.first, limit: 40))])
        d.answer(.users(Fixture.page(1...40)), hasMore: true)
        #expect(d.state.screen.as(UsersScreen.self)?.list.selected?.id == 4, "r used to put the cursor back on #1")
    }
}
