/// The memories of one profile: every legacy row with its link state (or, once the old table was dropped, the
/// metadata rows). Enter or `d` opens the diff of the selected memory.
public struct MemoriesScreen: ScreenComponent, Opening {
    public var title: String
    public var pane: ListPane<MemoryRow>

    public init(title: String, list: ListID) {
        self.title = title
        pane = ListPane(list, noun: "memories", rowName: "memory")
    }

    public var list: PagedList<MemoryRow> { pane.list }
    public var bindings: [KeyBinding] { Bindings.memories }
    public func viewport(_ context: ScreenContext) -> Int { max(1, context.bodyHeight - 1) }
    public mutating func opened(_ context: ScreenContext) -> [Effect] { pane.firstLoad(viewport: viewport(context)) }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if action == .open || action == .diff {
            guard let m = pane.selected else { return [] }
            return context.open(DiffScreen(ref: MemoryRef(legacyID: m.id, mem0ID: m.mem0ID)))
        }
        return pane.perform(action, viewport: viewport(context)) ?? []
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        pane.receive(message, viewport: viewport(context))
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        pane.render(columns: Columns.memories(context.status), row: Columns.memoryRow(context.status), tick: context.tick,
                    area: area, into: &buffer)
    }

    public func footer(_ context: ScreenContext) -> (text: String, style: Style)? { pane.footer() }
    public var isBusy: Bool { pane.list.isLoading }
    public var awaitsPage: Bool { pane.list.isLoading }
    public var filter: String?? { .some(pane.list.filter) }
    public mutating func applyFilter(_ text: String, _ context: inout ScreenContext) -> [Effect] {
        pane.applyFilter(text, viewport: viewport(context))
    }
    public mutating func resized(_ context: ScreenContext) { pane.settle(viewport: viewport(context)) }
    public mutating func fileChanged(_ context: inout ScreenContext) -> [Effect] { pane.reload(viewport: viewport(context)) }
}
