/// The agent logs of a session (from its transcript, `a`). Enter opens a log's details.
public struct AgentLogsScreen: ListScreen {
    public var title: String
    public var pane: ListPane<AgentLogRow>

    public init(title: String, list: ListID) {
        self.title = title
        pane = ListPane(list, noun: "agent logs", rowName: "log")
    }

    public var bindings: [KeyBinding] { Bindings.agentLogs }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if action == .open {
            guard let log = pane.selected else { return [] }
            context.push(LogDetailScreen(log: log))
            return []
        }
        return pane.perform(action, viewport: viewport(context)) ?? []
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        pane.render(columns: Columns.logs, row: Columns.logRow, tick: context.tick, area: area, into: &buffer)
    }
}
