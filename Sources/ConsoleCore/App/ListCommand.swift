/// A motion or reload on whichever paged list the screen shows; one generic implementation for every row type.
enum ListCommand: Equatable, Sendable {
    case down, up, pageDown, pageUp, halfDown, halfUp, top, end, refresh, firstLoad, filter(String?), jump(Int64), settle

    init?(_ action: Action) {
        switch action {
        case .moveDown: self = .down
        case .moveUp: self = .up
        case .pageDown: self = .pageDown
        case .pageUp: self = .pageUp
        case .halfPageDown: self = .halfDown
        case .halfPageUp: self = .halfUp
        case .top: self = .top
        case .end: self = .end
        case .refresh: self = .refresh
        default: return nil
        }
    }

    /// Applies the command; returns the page to load when the window has to move.
    func apply<Row>(to list: inout PagedList<Row>, viewport: Int) -> Effect? {
        let query: PageQuery?
        switch self {
        case .down: query = list.moveDown(viewport: viewport)
        case .up: query = list.moveUp(viewport: viewport)
        case .pageDown: query = list.pageDown(viewport: viewport)
        case .pageUp: query = list.pageUp(viewport: viewport)
        case .halfDown:
            let half = max(1, viewport / 2)
            if list.cursor + half < list.rows.count { list.cursor += half; list.settle(viewport); query = nil }
            else { query = list.pageDown(viewport: viewport) }
        case .halfUp:
            let half = max(1, viewport / 2)
            if list.cursor - half >= 0 { list.cursor -= half; list.settle(viewport); query = nil }
            else { query = list.pageUp(viewport: viewport) }
        case .top: query = list.home(viewport: viewport)
        case .end: query = list.end(viewport: viewport)
        case .refresh: query = list.refresh(viewport: viewport)
        case .firstLoad: query = list.isLoaded || list.isLoading ? nil : list.home(viewport: viewport)
        case .filter(let text): query = list.applyFilter(text, viewport: viewport)
        case .jump(let id): query = list.jump(to: id, viewport: viewport)
        case .settle: list.settle(viewport); query = nil
        }
        return query.map { .loadPage(list.id, $0) }
    }
}

