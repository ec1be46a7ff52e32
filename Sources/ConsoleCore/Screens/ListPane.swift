/// A keyset-paged list as a screen shows it: one implementation of motion, pages arriving, the filter, the footer
/// and the table, for every row type (a ratatui-style stateful widget: the state is `list`, the drawing is `render`).
public struct ListPane<Row: PageRow>: Equatable, Sendable {
    public var list: PagedList<Row>
    /// Plural, for "loading users…" and "no users".
    public let noun: String
    /// Singular, for the footer's "user #12".
    public let rowName: String

    public init(_ id: ListID, noun: String, rowName: String) {
        list = PagedList(id: id); self.noun = noun; self.rowName = rowName
    }

    public var selected: Row? { list.selected }

    /// The first page, unless it is loaded or loading.
    mutating func firstLoad(viewport: Int) -> [Effect] { effects(ListCommand.firstLoad, viewport) }

    /// A motion or a reload from the binding table; nil when the action is not a list action.
    mutating func perform(_ action: Action, viewport: Int) -> [Effect]? {
        guard let command = ListCommand(action) else { return nil }
        return effects(command, viewport)
    }

    /// The prompt's text: `#40` jumps to the row with id 40 (or the next one), anything else filters.
    mutating func applyFilter(_ text: String, viewport: Int) -> [Effect] {
        if let id = Self.jumpTarget(text) { return effects(.jump(id), viewport) }
        return effects(.filter(text), viewport)
    }

    /// The id in a `#40` prompt.
    static func jumpTarget(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("#"), let id = Int64(trimmed.dropFirst()), id > 0 else { return nil }
        return id
    }
    mutating func settle(viewport: Int) { _ = effects(.settle, viewport) }

    /// After the file changed state: a loaded list reads its rows again, keeping its place.
    mutating func reload(viewport: Int) -> [Effect] {
        guard list.isLoaded || list.isLoading else { return [] }
        return effects(.refresh, viewport)
    }

    private mutating func effects(_ command: ListCommand, _ viewport: Int) -> [Effect] {
        command.apply(to: &list, viewport: viewport).map { [$0] } ?? []
    }

    /// Takes this list's page or its failure; nil for any other message.
    mutating func receive(_ message: Message, viewport: Int) -> [Effect]? {
        switch message {
        case .pageLoaded(let id, let page, let query, let hasMore) where id == list.id:
            guard let rows = Row.rows(in: page), list.receive(rows, for: query, hasMore: hasMore, viewport: viewport) else { return nil }
            return []
        case .pageFailed(let id, let query, let text) where id == list.id && query == list.pending:
            list.fail(text, for: query)
            return []
        default:
            return nil
        }
    }

    /// "user #12 · more above · more below · filter “x”", or the list's error.
    func footer() -> (text: String, style: Style)? {
        if let error = list.error { return ("✗ \(error)  (r retries)", .error) }
        guard list.isLoaded, !list.rows.isEmpty else { return nil }
        var text = "\(rowName) #\(list.rows[list.cursor].id)"
        if list.hasMoreBefore { text += " · more above" }
        if list.hasMoreAfter { text += " · more below" }
        if let f = list.filter { text += " · filter “\(f)”" }
        return (text, .dim)
    }

    /// The header and the rows in the window; while empty, loading, failed or "no rows" under the header.
    func render(columns: [TableColumn], row: (Row) -> TableRow, tick: Int, area: Rect, into buffer: inout Buffer) {
        if list.rows.isEmpty {
            Table(columns: columns, rows: []).render(into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1))
            let y = area.y + 1
            if list.isLoading { buffer.put("\(Spinner.frame(tick)) loading \(noun)…", x: 1, y: y, style: .accent) }
            else if let error = list.error {
                buffer.put(TextLayout.truncate("✗ could not load \(noun): \(error)", toWidth: area.width - 1), x: 1, y: y, style: .error)
            }
            else if list.isLoaded {
                let text = list.filter.map { "no \(noun) match “\($0)”" } ?? "no \(noun)"
                buffer.put(TextLayout.truncate(text, toWidth: area.width - 1), x: 1, y: y, style: .dim)
            }
            return
        }
        Table(columns: columns, rows: list.rows.map(row), selected: list.cursor, top: list.top).render(into: &buffer, area: area)
    }
}

/// A screen whose body is one `ListPane`: the pane's pages, footer, spinner, key hold, filter, resize and reload come
/// with the conformance; the screen writes its title, bindings, what Enter opens and its columns.
public protocol ListScreen: ScreenComponent, Opening {
    associatedtype Row: PageRow
    var pane: ListPane<Row> { get set }
}

public extension ListScreen {
    var list: PagedList<Row> { pane.list }
    func viewport(_ context: ScreenContext) -> Int { max(1, context.bodyHeight - 1) }
    mutating func opened(_ context: ScreenContext) -> [Effect] { pane.firstLoad(viewport: viewport(context)) }
    mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        pane.receive(message, viewport: viewport(context))
    }
    func footer(_ context: ScreenContext) -> (text: String, style: Style)? { pane.footer() }
    var isBusy: Bool { pane.list.isLoading }
    var awaitsPage: Bool { pane.list.isLoading }
    var filter: String?? { .some(pane.list.filter) }
    mutating func applyFilter(_ text: String, _ context: inout ScreenContext) -> [Effect] {
        pane.applyFilter(text, viewport: viewport(context))
    }
    mutating func resized(_ context: ScreenContext) { pane.settle(viewport: viewport(context)) }
    mutating func fileChanged(_ context: inout ScreenContext) -> [Effect] { pane.reload(viewport: viewport(context)) }
    mutating func rowsChanged(_ context: inout ScreenContext) -> [Effect] { pane.reload(viewport: viewport(context)) }
}
