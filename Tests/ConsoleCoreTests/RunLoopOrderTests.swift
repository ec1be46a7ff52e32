import Foundation
import Migration
import Testing
@testable import ConsoleCore

/// A table of `count` rows with ids 1…count, paged the way Storage pages (limit + 1 to answer `hasMore`).
struct FakeTable {
    var count: Int64

    func users(_ query: PageQuery) -> (PageRows, Bool) {
        let (ids, more) = page(query)
        return (.users(ids.map { UserRow(id: $0, username: "user\($0)", displayName: nil, profiles: 1, sessions: 1,
                                         memories: 1, createdAt: nil) }), more)
    }

    func page(_ query: PageQuery) -> ([Int64], Bool) {
        let limit = Int64(query.limit)
        switch query.anchor {
        case .first: return (Array(1...min(count, limit)), count > limit)
        case .after(let id):
            let start = id + 1
            guard start <= count else { return ([], false) }
            return (Array(start...min(count, start + limit - 1)), start + limit - 1 < count)
        case .before(let id):
            let end = id - 1
            guard end >= 1 else { return ([], false) }
            return (Array(max(1, end - limit + 1)...end), end - limit + 1 > 1)
        case .last: return (Array(max(1, count - limit + 1)...count), count > limit)
        }
    }
}

/// A terminal that can hold back the answers to pages until the script says so, to prove keys wait for them.
final class ScriptedTerminal: Terminal {
    enum Step { case event(TerminalEvent), deliverHeldAnswers }
    var size: (width: Int, height: Int)
    private(set) var frames: [Buffer] = []
    private var script: [Step]
    var deliver: () -> Void = {}

    init(width: Int, height: Int, script: [Step]) { size = (width, height); self.script = script }
    func draw(_ buffer: Buffer) { frames.append(buffer) }
    func restore() {}
    private(set) var clipboard: [String] = []
    func copyToClipboard(_ text: String) { clipboard.append(text) }
    func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        guard !script.isEmpty else { return .key(.ctrl("c")) }
        switch script.removeFirst() {
        case .event(let event): return event
        case .deliverHeldAnswers: deliver(); return nil
        }
    }
}

/// Answers held by a test until the terminal's script delivers them.
final class HeldAnswers: @unchecked Sendable {
    private let lock = NSLock()
    private var held: [(Message, MessageInbox)] = []
    func hold(_ message: Message, _ inbox: MessageInbox) { lock.withLock { held.append((message, inbox)) } }
    func deliver() {
        let all = lock.withLock { defer { held.removeAll() }; return held }
        for (message, inbox) in all { inbox.send(message) }
    }
}

@Suite struct RunLoopOrderTests {
    static let table = FakeTable(count: 20_000)

    /// The product's handler shape: a keyset page answered inline, before the handler returns.
    static let inline: EffectHandler = { effect, inbox in
        if case .loadPage(.users, let query) = effect {
            let (rows, more) = table.users(query)
            inbox.send(.pageLoaded(.users, rows, query, hasMore: more))
        }
    }

    static func selectedUser(_ state: AppState) -> Int64? {
        if let list = state.stack.first?.as(UsersScreen.self)?.list { return list.selected?.id }
        return nil
    }

    @Test func aBurstOf500JLandsOnRow501AndIsDrawnOnce() {
        let burst = [TerminalEvent?](repeating: .key(.char("j")), count: 500)
        let terminal = TestTerminal(width: 120, height: 36, script: [nil] + burst + [nil])
        let end = RunLoop(terminal: terminal, handler: Self.inline).run(status: Fixture.status)
        #expect(Self.selectedUser(end) == 501)
        // The first frame, then one frame for the whole burst: keys typed together are applied before drawing.
        #expect(terminal.frames.count == 2)
        #expect(terminal.lastFrame!.text.contains("user #501"))
    }

    @Test func gThenEnterAtOnceOpensTheLastUser() {
        let terminal = TestTerminal(width: 120, height: 36, script: [nil, .key(.char("G")), .key(.enter), nil])
        let end = RunLoop(terminal: terminal, handler: Self.inline).run(status: Fixture.status)
        guard let screen = end.screen.as(UserScreen.self) else { Issue.record("not on a user: \(end.screen.title)"); return }
        #expect(screen.user.id == 20_000)
    }

    @Test func enterTypedWhileAListLoadsOpensTheRowItLandsOn() {
        let held = HeldAnswers()
        let sessions = [SessionRow(id: 700, title: "first", profileName: nil, messages: 1, startedAt: nil, endedAt: nil),
                        SessionRow(id: 701, title: "second", profileName: nil, messages: 1, startedAt: nil, endedAt: nil)]
        // Users answer inline; a user's profiles and sessions answer only when the script delivers them.
        let handler: EffectHandler = { effect, inbox in
            switch effect {
            case .loadPage(.users, let query):
                let (rows, more) = Self.table.users(query)
                inbox.send(.pageLoaded(.users, rows, query, hasMore: more))
            case .loadPage(.profiles(let id), let query):
                held.hold(.pageLoaded(.profiles(userID: id), .profiles(Fixture.profiles), query, hasMore: false), inbox)
            case .loadPage(.sessions(let id), let query):
                held.hold(.pageLoaded(.sessions(userID: id), .sessions(sessions), query, hasMore: false), inbox)
            default: break
            }
        }
        // Enter (user #1), 2 (its sessions) and Enter (the first session), typed at once, before any page arrived.
        let terminal = ScriptedTerminal(width: 120, height: 36, script: [
            .event(.key(.enter)), .event(.key(.char("2"))), .event(.key(.enter)),
            .deliverHeldAnswers, .deliverHeldAnswers, .deliverHeldAnswers,
        ])
        terminal.deliver = held.deliver
        let end = RunLoop(terminal: terminal, handler: handler).run(status: Fixture.status)
        guard let transcript = end.screen.as(TranscriptScreen.self) else {
            Issue.record("Enter was lost: on \(end.stack.map(\.title))"); return
        }
        #expect(transcript.session.id == 700)
    }

    @Test func ctrlCIsNotHeldBehindALoadingPage() {
        let handler: EffectHandler = { _, _ in }   // no page ever arrives
        let terminal = TestTerminal(width: 80, height: 24, script: [.key(.char("j")), .key(.ctrl("c"))])
        let end = RunLoop(terminal: terminal, handler: handler).run(status: Fixture.status)
        #expect(end.hasQuit)
        #expect(end.awaitsPage)
    }

    @Test func anIdleConsoleIsNotRedrawnByTicks() {
        let terminal = TestTerminal(width: 80, height: 24, script: [nil, nil, nil, nil, nil])
        RunLoop(terminal: terminal, handler: Self.inline).run(status: Fixture.status)
        #expect(terminal.frames.count == 1)
    }
}
