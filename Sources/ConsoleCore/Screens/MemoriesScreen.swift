/// The memories of one profile: every legacy row with its link state (or, once the old table was dropped, the
/// metadata rows). Enter or `d` opens the diff of the selected memory.
public struct MemoriesScreen: ListScreen {
    public var title: String
    public var pane: ListPane<MemoryRow>

    public init(title: String, list: ListID) {
        self.title = title
        pane = ListPane(list, noun: "memories", rowName: "memory")
    }

    public var bindings: [KeyBinding] { Bindings.memories }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if action == .open || action == .diff {
            guard let m = pane.selected else { return [] }
            return context.open(DiffScreen(ref: MemoryRef(legacyID: m.id, mem0ID: m.mem0ID)))
        }
        return pane.perform(action, viewport: viewport(context)) ?? []
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        pane.render(columns: Columns.memories(context.status), row: Columns.memoryRow(context.status), tick: context.tick,
                    area: area, into: &buffer)
    }
}
