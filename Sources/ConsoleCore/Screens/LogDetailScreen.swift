/// One agent log: its fields, then `details` pretty-printed when it is JSON (as stored, with a note, when not).
public struct LogDetailScreen: ScreenComponent {
    public var log: AgentLogRow
    public var scroll = TextScroll()
    public init(log: AgentLogRow) { self.log = log }

    public var offset: Int { scroll.offset }
    public var title: String { "Log #\(log.id)" }
    public var bindings: [KeyBinding] { Bindings.logDetail }
    public func viewport(_ context: ScreenContext) -> Int { context.bodyHeight }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        _ = scroll.perform(action, lines: LogDetailLayout.lines(log, width: context.width).count, viewport: viewport(context))
        return []
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        scroll.render(LogDetailLayout.lines(log, width: area.width), area: area, into: &buffer)
    }

    public mutating func resized(_ context: ScreenContext) {
        scroll.clamp(lines: LogDetailLayout.lines(log, width: context.width).count, viewport: viewport(context))
    }
}
