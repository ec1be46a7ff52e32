/// The agent logs of a session (from its transcript, `a`). Enter opens a log's details.
public struct AgentLogsScreen: ScreenComponent, Opening {
    public var title: String
    public var pane: ListPane<AgentLogRow>

    public init(title: String, list: ListID) {
        self.title = title
        pane = ListPane(list, noun: "agent logs", rowName: "log")
    }

    public var list: PagedList<AgentLogRow> { pane.list }
    public var bindings: [KeyBinding] { Bindings.agentLogs }
    public func viewport(_ context: ScreenContext) -> Int { max(1, context.bodyHeight - 1) }
    public mutating func opened(_ context: ScreenContext) -> [Effect] { pane.firstLoad(viewport: viewport(context)) }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if action == .open {
            guard let log = pane.selected else { return [] }
            context.push(LogDetailScreen(log: log))
            return []
        }
        return pane.perform(action, viewport: viewport(context)) ?? []
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        pane.receive(message, viewport: viewport(context))
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        pane.render(columns: Columns.logs, row: Columns.logRow, tick: context.tick, area: area, into: &buffer)
    }

    public func footer(_ context: ScreenContext) -> (text: String, style: Style)? { pane.footer() }
    public var isBusy: Bool { pane.list.isLoading }
    public var awaitsPage: Bool { pane.list.isLoading }
    public var filter: String?? { .some(pane.list.filter) }
    public mutating func applyFilter(_ text: String, _ context: inout ScreenContext) -> [Effect] {
        pane.applyFilter(text, viewport: viewport(context))
    }
    public mutating func resized(_ context: ScreenContext) { pane.settle(viewport: viewport(context)) }
}
