import Testing
import Migration
@testable import ConsoleCore

/// What changes while the console runs: the file's state after a migration, the detected dialect, the write badge.
@Suite struct LiveStatusTests {
    @Test func aFileThatChangedStateReloadsTheLoadedListsOnTheStack() {
        var d = Scenario.user(80, 24, tab: 2)                 // users, then alice's profiles and memories loaded
        d.keys(.char("m"))
        d.send(.preflightLoaded(Fixture.preflight))
        var migrated = Fixture.status
        migrated.fileState = .migrated
        let effects = d.send(.statusChanged(migrated))
        let lists = effects.compactMap { effect -> ListID? in
            if case .loadPage(let id, _) = effect { return id }
            return nil
        }
        #expect(lists == [.users, .profiles(userID: 1), .memories(userID: 1, profileID: nil)])
        #expect(d.state.status.fileState == .migrated)
        guard d.state.screen.as(WizardScreen.self) != nil else { Issue.record("the wizard stays on top"); return }
        // The reloaded memories land in the user screen under the wizard, with their Mem0 ids.
        guard case .loadPage(let id, let query)? = effects.last else { Issue.record("not on the expected screen"); return }
        d.send(.pageLoaded(id, .memories(Fixture.migratedMemories), query, hasMore: false))
        d.keys(.char("q"))
        #expect(d.screen().text.contains("Mem0 id"))
    }

    @Test func aStatusChangeThatKeepsTheFileStateReloadsNothing() {
        var d = Scenario.users(80, 24)
        var detected = Fixture.status
        detected.mem0Dialect = "platform"
        #expect(d.send(.statusChanged(detected)) == [])
        #expect(d.screen().text.split(separator: "\n")[0].contains("(platform)"))
    }

    @Test func theBadgeSaysRwLoudlyWhileTheFileIsWritten() {
        var d = Scenario.users(80, 24)
        let readOnly = d.screen()
        #expect(readOnly.text.hasPrefix(" memconsole /data/chat.db  legacy  ro  Mem0"))
        var writing = Fixture.status
        writing.isReadOnly = false
        d.send(.statusChanged(writing))
        let buffer = d.screen()
        let line = String(buffer.text.split(separator: "\n")[0])
        #expect(line.hasPrefix(" memconsole /data/chat.db  legacy   rw   Mem0"))
        let start = line.distance(from: line.startIndex, to: line.range(of: " rw ")!.lowerBound)
        let styles = Array(StyleCode.row(buffer, 0))
        #expect(String(styles[start..<start + 4]) == "wwww")
    }
}
