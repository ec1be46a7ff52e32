import Foundation
import Testing
@testable import ConsoleCore

/// Live refresh through `update`: another program's commit (`liveRefresh.lastChange` moves) reloads every loaded
/// list on the stack in place, the cursor where it was; the status line says `live` and when, or that it cannot see.
@Suite struct LiveRefreshTests {
    static func status(_ refresh: LiveRefresh, base: StatusInfo = Fixture.migratedStatus) -> StatusInfo {
        var s = base
        s.liveRefresh = refresh
        return s
    }

    @Test func theStatusLineSaysLiveAndWhenTheFileLastChangedOrThatItCannotSee() {
        var d = Scenario.users(120, 24)
        d.send(.statusChanged(Self.status(.live(lastChange: nil))))
        #expect(d.screen().text.split(separator: "\n")[0].contains("ro live  Mem0"))
        d.send(.statusChanged(Self.status(.live(lastChange: Fixture.date("2024-05-01T21:30:05Z")))))
        #expect(d.screen().text.split(separator: "\n")[0].contains("ro live · changed 21:30:05  Mem0"))
        d.send(.statusChanged(Self.status(.unavailable("the file is gone"))))
        #expect(d.screen().text.split(separator: "\n")[0].contains("not live (r reloads)"))
    }

    @Test func aCommitElsewhereReloadsTheListsInPlaceWithTheCursorKept() {
        var d = Scenario.user(80, 24, tab: 1, status: Self.status(.live(lastChange: nil)))
        d.keys(.down)
        let effects = d.send(.statusChanged(Self.status(.live(lastChange: Fixture.date("2024-05-01T21:30:05Z")))))
        // The user screen's loaded sections (profiles, sessions) and the users list behind it, each from its first row.
        #expect(effects.count == 3)
        #expect(effects.contains(.loadPage(.sessions(userID: 1), PageQuery(.first, limit: 36))))
        guard case .loadPage(let id, let query)? = effects.first(where: { if case .loadPage(.sessions, _) = $0 { return true }; return false }) else { return }
        var grown = Fixture.sessions
        grown[1].messages = 3
        grown.append(SessionRow(id: 102, title: "new", profileName: nil, messages: 1, startedAt: nil, endedAt: nil))
        d.send(.pageLoaded(id, .sessions(grown), query, hasMore: false))
        let screen = d.state.screen.as(UserScreen.self)
        #expect(screen?.sessions.list.rows.count == 3)
        #expect(screen?.sessions.selected?.id == 101)   // the cursor did not move
        #expect(d.screen().text.contains("new"))
    }

    @Test func aStatusChangeWithTheSameChangeTimeReloadsNothing() {
        var d = Scenario.users(80, 24)
        d.send(.statusChanged(Self.status(.live(lastChange: nil), base: Fixture.status)))
        let at = Fixture.date("2024-05-01T21:30:05Z")
        #expect(d.send(.statusChanged(Self.status(.live(lastChange: at), base: Fixture.status))).count == 1)
        d.answer(.users(Fixture.users))
        #expect(d.send(.statusChanged(Self.status(.live(lastChange: at), base: Fixture.status))).isEmpty)
    }

    static func transcript(messages: Int) -> Driver {
        var d = Scenario.user(80, 24, tab: 1)
        d.keys(.enter)
        d.answer(.messages((0..<Int64(messages)).map { MessageRow(id: 1000 + $0, role: "user", content: "message \($0)", createdAt: nil) }))
        return d
    }

    static func reload(_ d: inout Driver) -> (ListID, PageQuery)? {
        let effects = d.send(.statusChanged(Self.status(.live(lastChange: Fixture.date("2024-05-01T21:30:05Z")), base: Fixture.status)))
        guard case .loadPage(let id, let query)? = effects.first(where: { if case .loadPage(.messages, _) = $0 { return true }; return false }) else {
            Issue.record("no transcript reload: \(effects)"); return nil
        }
        return (id, query)
    }

    @Test func aTranscriptReadAtItsEndFollowsNewMessages() throws {
        var d = Self.transcript(messages: 30)
        d.keys(.char("G"))
        let (id, query) = try #require(Self.reload(&d))
        #expect(query.anchor == .last)
        d.send(.pageLoaded(id, .messages((0..<31).map { MessageRow(id: 1000 + $0, role: "user", content: "message \($0)", createdAt: nil) }),
                           query, hasMore: false))
        #expect(d.screen().text.contains("message 30"))
    }

    @Test func aTranscriptReadHigherUpKeepsItsView() throws {
        var d = Self.transcript(messages: 30)
        d.keys(.down, .down)
        let offset = d.state.screen.as(TranscriptScreen.self)?.lineOffset
        let (id, query) = try #require(Self.reload(&d))
        #expect(query.anchor == .first)
        d.send(.pageLoaded(id, .messages((0..<31).map { MessageRow(id: 1000 + $0, role: "user", content: "message \($0)", createdAt: nil) }),
                           query, hasMore: false))
        #expect(d.state.screen.as(TranscriptScreen.self)?.lineOffset == offset)
        #expect(d.state.screen.as(TranscriptScreen.self)?.list.rows.count == 31)
    }
}
