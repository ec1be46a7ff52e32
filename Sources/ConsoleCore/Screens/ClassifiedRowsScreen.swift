/// The rows verification puts outside "linked": rejected (with the reason) or duplicates (with the row that holds
/// their memory), paged from the migration journal. Enter or `d` opens a row's diff.
public struct ClassifiedRowsScreen: ListScreen {
    public enum Kind: Equatable, Sendable { case rejected, duplicates }
    public var kind: Kind
    public var pane: ListPane<ClassifiedRow>

    public init(kind: Kind) {
        self.kind = kind
        pane = ListPane(kind == .rejected ? .rejectedRows : .duplicateRows, noun: "rows", rowName: "legacy row")
    }

    public var title: String { kind == .rejected ? "Rejected rows" : "Duplicate rows" }
    public var bindings: [KeyBinding] { Bindings.classList }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if action == .open || action == .diff {
            guard let row = pane.selected else { return [] }
            return context.open(DiffScreen(ref: MemoryRef(legacyID: row.id, mem0ID: nil)))
        }
        return pane.perform(action, viewport: viewport(context)) ?? []
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        let columns = [TableColumn("Legacy", min: 6, alignRight: true), TableColumn("User", min: 4, alignRight: true),
                       TableColumn(kind == .rejected ? "Reason" : "Duplicate of", min: 12, max: 48, flex: 1),
                       TableColumn("Content", min: 10, flex: 2)]
        pane.render(columns: columns, row: { r in
            TableRow(["#\(r.id)", r.userID.map(String.init) ?? "—", r.detail, r.content], styles: [.plain, .plain, .warning])
        }, tick: context.tick, area: area, into: &buffer)
    }
}
