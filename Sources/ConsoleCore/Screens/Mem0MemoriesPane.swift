/// The user screen's Mem0 section: the user's memories as Mem0 lists them (memories the migration did not create
/// included), each with its text, metadata, times and whether a metadata row links it. Platform pages of 200 are
/// loaded as the cursor reaches the end; OSS answers one list that stops at 1,000, and the section says so.
///
/// Mem0 pages by number, not by key, so this is not a `PagedList`: the pages loaded so far are held in order.
public struct Mem0MemoriesPane: Equatable, Sendable {
    public let user: Mem0UserRef
    public var rows: [Mem0MemoryRow] = []
    public var cursor = ListCursor()
    public var mem0UserID: String?
    public var nextPage: Int?
    public var totalCount: Int?
    public var reachedServerCap = false
    /// The page asked for and not yet answered.
    public var pendingPage: Int?
    public var error: String?
    public var isLoaded = false

    public init(user: Mem0UserRef) { self.user = user }

    public var selected: Mem0MemoryRow? { rows.indices.contains(cursor.cursor) ? rows[cursor.cursor] : nil }

    /// Rows under the table header (and the cap note when there is one).
    func rowsShown(_ viewport: Int) -> Int { max(1, viewport - (reachedServerCap ? 1 : 0)) }

    private mutating func request(_ page: Int) -> [Effect] {
        pendingPage = page; error = nil
        return [.loadMem0Memories(user, page: page)]
    }

    public mutating func receive(_ message: Message, viewport: Int) -> [Effect]? {
        switch message {
        case .mem0MemoriesLoaded(let ref, let page, let answer) where ref == user && page == pendingPage:
            pendingPage = nil; isLoaded = true
            if page == 1 { rows = answer.rows } else { rows += answer.rows }
            mem0UserID = answer.mem0UserID; nextPage = answer.nextPage
            totalCount = answer.totalCount; reachedServerCap = answer.reachedServerCap
            cursor.settle(count: rows.count, viewport: rowsShown(viewport))
            return []
        case .mem0MemoriesFailed(let ref, let page, let text) where ref == user && page == pendingPage:
            pendingPage = nil; error = text
            return []
        default:
            return nil
        }
    }

    public func render(tick: Int, area: Rect, into buffer: inout Buffer) {
        var table = area
        if reachedServerCap {
            buffer.put(TextLayout.truncate("note: OSS lists at most 1,000 memories per user; \(mem0UserID ?? "this user") may hold more than are shown",
                                           toWidth: area.width), x: area.x, y: area.y, style: .warning)
            table = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        }
        if rows.isEmpty {
            Table(columns: Mem0MemoryTable.columns(withScore: false), rows: [])
                .render(into: &buffer, area: Rect(x: table.x, y: table.y, width: table.width, height: 1))
            let text = pendingPage != nil ? "\(Spinner.frame(tick)) asking Mem0 for \(mem0UserID ?? "the user")'s memories…"
                : error.map { "✗ could not list the memories in Mem0: \($0)" } ?? "no memories in Mem0 for \(mem0UserID ?? "this user")"
            buffer.put(TextLayout.truncate(text, toWidth: table.width - 1), x: 1, y: table.y + 1,
                       style: pendingPage != nil ? .accent : error != nil ? .error : .dim)
            return
        }
        Table(columns: Mem0MemoryTable.columns(withScore: false), rows: rows.map { Mem0MemoryTable.row($0) },
              selected: cursor.cursor, top: cursor.top).render(into: &buffer, area: table)
    }
}

extension Mem0MemoriesPane: ListPaneProtocol {
    mutating func firstLoad(viewport: Int) -> [Effect] {
        guard !isLoaded, pendingPage == nil else { return [] }
        return request(1)
    }

    mutating func perform(_ action: Action, viewport: Int) -> [Effect]? {
        if action == .refresh { return request(1) }
        let shown = rowsShown(viewport)
        guard cursor.perform(action, count: rows.count, viewport: shown) else { return nil }
        // At the last loaded row with more pages in Mem0: the next page.
        let wantsMore = [.moveDown, .pageDown, .halfPageDown, .end].contains(action)
        if wantsMore, cursor.cursor == rows.count - 1, let next = nextPage, pendingPage == nil { return request(next) }
        return []
    }

    /// The prompt's text is a search, answered by the user screen (it opens the results).
    mutating func applyFilter(_ text: String, viewport: Int) -> [Effect] { [] }

    func footer() -> (text: String, style: Style)? {
        if let error { return ("✗ \(error)  (r retries)", .error) }
        guard isLoaded, let selected else { return nil }
        var text = "Mem0 memory \(cursor.cursor + 1) of \(Format.count(rows.count))"
        if let totalCount { text += " (\(Format.count(totalCount)) in Mem0)" }
        if nextPage != nil { text += " · more below" }
        if reachedServerCap { text += " · OSS cap: 1,000 shown" }
        text += " · \(selected.id)"
        return (text, .dim)
    }

    var isLoading: Bool { pendingPage != nil }
    var filterText: String? { nil }
}

/// The columns of a Mem0 memory list (the user's section and the search results).
enum Mem0MemoryTable {
    static func columns(withScore: Bool) -> [TableColumn] {
        (withScore ? [TableColumn("Score", min: 5, alignRight: true)] : [])
            + [TableColumn("Mem0 id", min: 10, max: 36), TableColumn("Text", min: 16, flex: 3),
               TableColumn("Row", min: 8, max: 9), TableColumn("Legacy", min: 6, alignRight: true),
               TableColumn("Metadata", min: 8, flex: 2), TableColumn("Created", min: 16, max: 16),
               TableColumn("Updated", min: 16, max: 16)]
    }

    static func row(_ m: Mem0MemoryRow, withScore: Bool = false) -> TableRow {
        let link = m.metadataID.map { "#\($0)" } ?? "✗ no row"
        let cells = (withScore ? [m.score.map { Format.fixed($0, 3) } ?? "—"] : [])
            + [m.id, m.text, link, m.legacyID.map { "#\($0)" } ?? "—", m.metadata, DateText.short(m.createdAt), DateText.short(m.updatedAt)]
        var styles: [Style] = withScore ? [.accent] : []
        styles += [.plain, .plain, m.metadataID == nil ? .error : .ok]
        return TableRow(cells, styles: styles)
    }
}
