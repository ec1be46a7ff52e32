/// Every `memories_metadata` row of the file, by id, paged like every list (`M` from the users and user screens):
/// the user, profile, type, tags, times and the full Mem0 id each row links. Enter or `d` diffs the row's legacy row
/// against its Mem0 record (the migration keeps the legacy id as the row's id); `y` copies the Mem0 id.
public struct MetadataRowsScreen: ListScreen {
    public var pane = ListPane<MetadataRow>(.metadataRows, noun: "metadata rows", rowName: "metadata row")
    public init() {}

    public var title: String { "memories_metadata" }
    public var bindings: [KeyBinding] { Bindings.metadataRows }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        switch action {
        case .open, .diff:
            guard let row = pane.selected else { return [] }
            return context.open(DiffScreen(ref: MemoryRef(legacyID: row.id, mem0ID: row.mem0MemoryID)))
        case .copy:
            guard let row = pane.selected else { return [] }
            return context.copy(row.mem0MemoryID)
        default:
            return pane.perform(action, viewport: viewport(context)) ?? []
        }
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        // The id is what an operator looks for here (`:` jumps to it): it is never cut; Updated gives way first.
        let columns = [TableColumn("ID", min: 6, alignRight: true), TableColumn("User", min: 4, alignRight: true),
                       TableColumn("Profile", min: 7, alignRight: true), TableColumn("Type", min: 10, max: 12),
                       TableColumn("Mem0 id", min: 12, max: 36), TableColumn("Tags", min: 6, max: 30, flex: 1),
                       TableColumn("Created", min: 16, max: 16), TableColumn("Updated", min: 10, max: 16)]
        pane.render(columns: columns, row: { m in
            TableRow([String(m.id), String(m.userID), m.profileID.map(String.init) ?? "—", m.memoryType ?? "—", m.mem0MemoryID,
                      m.tags.joined(separator: ", "), DateText.short(m.createdAt), DateText.short(m.updatedAt)])
        }, tick: context.tick, area: area, into: &buffer)
    }
}
