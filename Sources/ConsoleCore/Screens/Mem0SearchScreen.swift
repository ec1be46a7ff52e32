/// A search within one user's Mem0 memories (Platform `POST /v3/memories/search/`, OSS `POST /search`, filtered to
/// the user): the results ranked as Mem0 ranked them, each with its score. Enter shows a result's history, `o` its
/// metadata row and legacy row, `y` copies its id, `/` searches again.
public struct Mem0SearchScreen: ScreenComponent, Opening {
    public enum Phase: Equatable, Sendable { case searching, loaded([Mem0MemoryRow]), failed(String) }
    public let user: Mem0UserRef
    public var query: String
    public var phase: Phase = .searching
    public var cursor = ListCursor()

    public init(user: Mem0UserRef, query: String) { self.user = user; self.query = query }

    public var title: String { "Search “\(query)”" }
    public var bindings: [KeyBinding] { Bindings.mem0Search }
    public func viewport(_ context: ScreenContext) -> Int { max(1, context.bodyHeight - 1) }
    public mutating func opened(_ context: ScreenContext) -> [Effect] { [.searchMem0(user, query: query)] }

    var results: [Mem0MemoryRow] {
        if case .loaded(let rows) = phase { return rows }
        return []
    }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if action == .refresh { phase = .searching; return [.searchMem0(user, query: query)] }
        let rows = results
        let selected = rows.indices.contains(cursor.cursor) ? rows[cursor.cursor] : nil
        switch action {
        case .open:
            guard let selected else { return [] }
            return context.open(Mem0HistoryScreen(memory: selected))
        case .openRows:
            guard let selected else { return [] }
            return context.open(MemoryRowsScreen(memory: selected))
        case .copy:
            guard let selected else { return [] }
            return context.copy(selected.id)
        default:
            _ = cursor.perform(action, count: rows.count, viewport: viewport(context))
            return []
        }
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        switch message {
        case .mem0SearchLoaded(let ref, let q, let rows) where ref == user && q == query:
            phase = .loaded(rows)
            cursor = ListCursor()
            return []
        case .mem0SearchFailed(let ref, let q, let text) where ref == user && q == query:
            phase = .failed(text)
            return []
        default:
            return nil
        }
    }

    public var filter: String?? { .some(query) }
    public mutating func applyFilter(_ text: String, _ context: inout ScreenContext) -> [Effect] {
        guard !text.isEmpty else { return [] }
        query = text; phase = .searching
        return [.searchMem0(user, query: query)]
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        let columns = Mem0MemoryTable.columns(withScore: true)
        switch phase {
        case .searching:
            Table(columns: columns, rows: []).render(into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1))
            buffer.put("\(Spinner.frame(context.tick)) searching Mem0…", x: 1, y: area.y + 1, style: .accent)
        case .failed(let text):
            Table(columns: columns, rows: []).render(into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1))
            buffer.put(TextLayout.truncate("✗ the search failed: \(text)", toWidth: area.width - 1), x: 1, y: area.y + 1, style: .error)
        case .loaded(let rows):
            if rows.isEmpty {
                Table(columns: columns, rows: []).render(into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1))
                buffer.put(TextLayout.truncate("no memories of this user match “\(query)”", toWidth: area.width - 1), x: 1, y: area.y + 1, style: .dim)
                return
            }
            Table(columns: columns, rows: rows.map { Mem0MemoryTable.row($0, withScore: true) }, selected: cursor.cursor,
                  top: cursor.top).render(into: &buffer, area: area)
        }
    }

    public func footer(_ context: ScreenContext) -> (text: String, style: Style)? {
        let rows = results
        guard rows.indices.contains(cursor.cursor) else { return nil }
        return ("result \(cursor.cursor + 1) of \(rows.count), best first · \(rows[cursor.cursor].id)", .dim)
    }

    public var isBusy: Bool { phase == .searching }
    public mutating func resized(_ context: ScreenContext) { cursor.settle(count: results.count, viewport: viewport(context)) }
}
