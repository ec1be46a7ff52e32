/// A user's five sections, each a list loaded the first time it is shown. Enter opens the selected profile (its
/// memories), session (its transcript), memory (its diff), log (its details) or Mem0 memory (its history); `d` diffs
/// a memory. The Mem0 section lists what Mem0 holds for the user: `s` (or `/`) searches it, `o` opens a memory's
/// metadata row and legacy row, `y` copies a Mem0 id.
public struct UserScreen: ScreenComponent, Opening {
    public enum Tab: Int, CaseIterable, Sendable { case profiles, sessions, memories, agentLogs, mem0
        public var name: String { ["Profiles", "Sessions", "Memories", "Agent logs", "Mem0"][rawValue] }
    }
    public var user: UserRow
    public var tab: Tab = .profiles
    public var profiles: ListPane<ProfileRow>
    public var sessions: ListPane<SessionRow>
    public var memories: ListPane<MemoryRow>
    public var logs: ListPane<AgentLogRow>
    public var mem0: Mem0MemoriesPane

    public init(user: UserRow) {
        self.user = user
        profiles = ListPane(.profiles(userID: user.id), noun: "profiles", rowName: "profile")
        sessions = ListPane(.sessions(userID: user.id), noun: "sessions", rowName: "session")
        memories = ListPane(.memories(userID: user.id, profileID: nil), noun: "memories", rowName: "memory")
        logs = ListPane(.agentLogs(.user(user.id)), noun: "agent logs", rowName: "log")
        mem0 = Mem0MemoriesPane(user: Mem0UserRef(legacyUserID: user.id, username: user.username))
    }

    public var title: String { "User \(user.username)" }
    public var bindings: [KeyBinding] { Bindings.user(tab) }
    /// Below the section bar and the table header.
    public func viewport(_ context: ScreenContext) -> Int { max(1, context.bodyHeight - 2) }

    public mutating func opened(_ context: ScreenContext) -> [Effect] { onShownPane(viewport(context)) { $0.firstLoad(viewport: $1) } }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        let vp = viewport(context)
        switch action {
        case .nextTab: return show(Tab(rawValue: (tab.rawValue + 1) % Tab.allCases.count)!, vp)
        case .previousTab: return show(Tab(rawValue: (tab.rawValue + Tab.allCases.count - 1) % Tab.allCases.count)!, vp)
        case .tab(let n): return show(Tab(rawValue: n) ?? tab, vp)
        case .open, .diff, .openRows: return open(action, &context)
        case .copy:
            let id = tab == .mem0 ? mem0.selected?.id : tab == .memories ? memories.selected?.mem0ID : nil
            guard let id else { return [] }
            return context.copy(id)
        default: return onShownPane(vp) { $0.perform(action, viewport: $1) ?? [] }
        }
    }

    private mutating func show(_ next: Tab, _ viewport: Int) -> [Effect] {
        tab = next
        return onShownPane(viewport) { $0.firstLoad(viewport: $1) }
    }

    private func open(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        switch tab {
        case .profiles:
            guard action == .open, let p = profiles.selected else { return [] }
            return context.open(MemoriesScreen(title: "Memories of profile “\(p.name)” (\(user.username))",
                                               list: .memories(userID: user.id, profileID: p.id)))
        case .sessions:
            guard action == .open, let session = sessions.selected else { return [] }
            return context.open(TranscriptScreen(session: session))
        case .memories:
            guard let m = memories.selected else { return [] }
            return context.open(DiffScreen(ref: MemoryRef(legacyID: m.id, mem0ID: m.mem0ID)))
        case .agentLogs:
            guard action == .open, let log = logs.selected else { return [] }
            context.push(LogDetailScreen(log: log))
            return []
        case .mem0:
            guard let memory = mem0.selected, action != .diff else { return [] }
            return action == .openRows ? context.open(MemoryRowsScreen(memory: memory)) : context.open(Mem0HistoryScreen(memory: memory))
        }
    }

    /// Runs `body` on the section's pane (each section is a list of its own row type).
    private mutating func onShownPane<R>(_ viewport: Int, _ body: (inout any ListPaneProtocol, Int) -> R) -> R {
        switch tab {
        case .profiles: var p: any ListPaneProtocol = profiles; defer { profiles = p as! ListPane<ProfileRow> }; return body(&p, viewport)
        case .sessions: var p: any ListPaneProtocol = sessions; defer { sessions = p as! ListPane<SessionRow> }; return body(&p, viewport)
        case .memories: var p: any ListPaneProtocol = memories; defer { memories = p as! ListPane<MemoryRow> }; return body(&p, viewport)
        case .agentLogs: var p: any ListPaneProtocol = logs; defer { logs = p as! ListPane<AgentLogRow> }; return body(&p, viewport)
        case .mem0: var p: any ListPaneProtocol = mem0; defer { mem0 = p as! Mem0MemoriesPane }; return body(&p, viewport)
        }
    }

    private var shownPane: any ListPaneProtocol {
        switch tab {
        case .profiles: return profiles
        case .sessions: return sessions
        case .memories: return memories
        case .agentLogs: return logs
        case .mem0: return mem0
        }
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        let vp = viewport(context)
        return profiles.receive(message, viewport: vp) ?? sessions.receive(message, viewport: vp)
            ?? memories.receive(message, viewport: vp) ?? logs.receive(message, viewport: vp) ?? mem0.receive(message, viewport: vp)
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        var x = area.x
        for section in Tab.allCases {
            x = buffer.put(" \(section.rawValue + 1) \(section.name) ", x: x, y: area.y, style: section == tab ? .selected : .dim)
            x = buffer.put("│", x: x, y: area.y, style: .dim)
        }
        let rest = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        switch tab {
        case .profiles: profiles.render(columns: Columns.profiles, row: Columns.profileRow, tick: context.tick, area: rest, into: &buffer)
        case .sessions: sessions.render(columns: Columns.sessions, row: Columns.sessionRow, tick: context.tick, area: rest, into: &buffer)
        case .memories:
            memories.render(columns: Columns.memories(context.status), row: Columns.memoryRow(context.status), tick: context.tick,
                            area: rest, into: &buffer)
        case .agentLogs: logs.render(columns: Columns.logs, row: Columns.logRow, tick: context.tick, area: rest, into: &buffer)
        case .mem0: mem0.render(tick: context.tick, area: rest, into: &buffer)
        }
    }

    public func footer(_ context: ScreenContext) -> (text: String, style: Style)? { shownPane.footer() }
    public var isBusy: Bool {
        profiles.list.isLoading || sessions.list.isLoading || memories.list.isLoading || logs.list.isLoading || mem0.isLoading
    }
    public var awaitsPage: Bool { shownPane.isLoading }
    public var filter: String?? { .some(shownPane.filterText) }
    public mutating func applyFilter(_ text: String, _ context: inout ScreenContext) -> [Effect] {
        if tab == .mem0 {
            // In the Mem0 section the prompt is a search: its ranked results are a screen of their own.
            guard !text.isEmpty else { return [] }
            return context.open(Mem0SearchScreen(user: mem0.user, query: text))
        }
        return onShownPane(viewport(context)) { $0.applyFilter(text, viewport: $1) }
    }
    public mutating func resized(_ context: ScreenContext) {
        let vp = viewport(context)
        profiles.settle(viewport: vp); sessions.settle(viewport: vp); memories.settle(viewport: vp); logs.settle(viewport: vp)
        mem0.cursor.settle(count: mem0.rows.count, viewport: mem0.rowsShown(vp))
    }
    /// Every loaded section of the file's rows reads its window again (the Mem0 section is Mem0's, not the file's).
    public mutating func rowsChanged(_ context: inout ScreenContext) -> [Effect] {
        let vp = viewport(context)
        return profiles.reload(viewport: vp) + sessions.reload(viewport: vp) + memories.reload(viewport: vp) + logs.reload(viewport: vp)
    }
    /// Profiles (their memory counts) and memories (now with link states) depend on the file's state.
    public mutating func fileChanged(_ context: inout ScreenContext) -> [Effect] {
        let vp = viewport(context)
        return profiles.reload(viewport: vp) + memories.reload(viewport: vp)
    }
}

/// A `ListPane` of any row type, for screens with several lists (the user's sections).
protocol ListPaneProtocol: Sendable {
    mutating func firstLoad(viewport: Int) -> [Effect]
    mutating func perform(_ action: Action, viewport: Int) -> [Effect]?
    mutating func applyFilter(_ text: String, viewport: Int) -> [Effect]
    func footer() -> (text: String, style: Style)?
    var isLoading: Bool { get }
    var filterText: String? { get }
}

extension ListPane: ListPaneProtocol {
    var isLoading: Bool { list.isLoading }
    var filterText: String? { list.filter }
}
