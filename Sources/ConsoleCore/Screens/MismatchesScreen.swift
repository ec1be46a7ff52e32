import Migration

/// The links verification found wrong (content differs, record missing, counts off), as the verification result
/// carries them (a list in memory, not a page of the file). Enter or `d` opens the diff of a mismatch's row.
public struct MismatchesScreen: ScreenComponent {
    public var mismatches: [VerificationMismatch]
    public var cursor = ListCursor()

    public init(mismatches: [VerificationMismatch]) { self.mismatches = mismatches }

    public var title: String { "Mismatches" }
    public var bindings: [KeyBinding] { Bindings.mismatches }
    public func viewport(_ context: ScreenContext) -> Int { max(1, context.bodyHeight - 1) }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if action == .open || action == .diff {
            guard mismatches.indices.contains(cursor.cursor), let id = mismatches[cursor.cursor].legacyID else { return [] }
            return context.open(DiffScreen(ref: MemoryRef(legacyID: id, mem0ID: mismatches[cursor.cursor].mem0ID)))
        }
        _ = cursor.perform(action, count: mismatches.count, viewport: viewport(context))
        return []
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        let columns = [TableColumn("Kind", min: 8, max: 18), TableColumn("Legacy", min: 6, alignRight: true),
                       TableColumn("Mem0 id", min: 8, max: 36, flex: 1), TableColumn("Detail", min: 10, flex: 3)]
        let rows = mismatches.map { m in
            TableRow([m.kind.rawValue, m.legacyID.map { "#\($0)" } ?? "—", m.mem0ID ?? "—", m.detail], styles: [.error])
        }
        if rows.isEmpty {
            Table(columns: columns, rows: []).render(into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1))
            buffer.put("✓ no mismatches", x: 1, y: area.y + 1, style: .ok)
            return
        }
        Table(columns: columns, rows: rows, selected: cursor.cursor, top: cursor.top).render(into: &buffer, area: area)
    }

    public mutating func resized(_ context: ScreenContext) { cursor.settle(count: mismatches.count, viewport: viewport(context)) }
}
