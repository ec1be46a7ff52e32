/// A motion or reload on whichever paged list the screen shows; one generic implementation for every row type.
enum ListCommand: Equatable, Sendable {
    case down, up, pageDown, pageUp, halfDown, halfUp, top, end, refresh, firstLoad, filter(String?), settle

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
        case .settle: list.settle(viewport); query = nil
        }
        return query.map { .loadPage(list.id, $0) }
    }
}

extension Screen {
    /// Runs a list command on the list this screen shows (for the user screen: the current section's list).
    mutating func apply(_ command: ListCommand, viewport: Int) -> Effect? {
        switch self {
        case .users(var list):
            defer { self = .users(list) }
            return command.apply(to: &list, viewport: viewport)
        case .user(var s):
            defer { self = .user(s) }
            switch s.tab {
            case .profiles: return command.apply(to: &s.profiles, viewport: viewport)
            case .sessions: return command.apply(to: &s.sessions, viewport: viewport)
            case .memories: return command.apply(to: &s.memories, viewport: viewport)
            case .agentLogs: return command.apply(to: &s.logs, viewport: viewport)
            }
        case .memories(var s):
            defer { self = .memories(s) }
            return command.apply(to: &s.list, viewport: viewport)
        case .sessions(var s):
            defer { self = .sessions(s) }
            return command.apply(to: &s.list, viewport: viewport)
        case .agentLogs(var s):
            defer { self = .agentLogs(s) }
            return command.apply(to: &s.list, viewport: viewport)
        case .classList(var s):
            guard s.kind != .mismatches else { return nil }
            defer { self = .classList(s) }
            return command.apply(to: &s.list, viewport: viewport)
        case .transcript(var s):
            guard case .filter = command else { return nil }
            defer { self = .transcript(s) }
            return command.apply(to: &s.list, viewport: viewport)
        default:
            return nil
        }
    }

    /// The filter of the list on show, for reopening the prompt with it.
    var currentFilter: String? {
        switch self {
        case .users(let l): return l.filter
        case .user(let s):
            switch s.tab {
            case .profiles: return s.profiles.filter
            case .sessions: return s.sessions.filter
            case .memories: return s.memories.filter
            case .agentLogs: return s.logs.filter
            }
        case .memories(let s): return s.list.filter
        case .sessions(let s): return s.list.filter
        case .agentLogs(let s): return s.list.filter
        case .classList(let s): return s.list.filter
        case .transcript(let s): return s.list.filter
        default: return nil
        }
    }

    var hasFilterableList: Bool {
        switch self {
        case .users, .user, .memories, .sessions, .agentLogs, .transcript: return true
        case .classList(let s): return s.kind != .mismatches
        default: return false
        }
    }

    /// Delivers an arrived page to the list it belongs to, wherever it is on this screen.
    mutating func receive(_ id: ListID, _ page: PageRows, _ query: PageQuery, hasMore: Bool, viewport: Int) -> Bool {
        func take<Row>(_ list: inout PagedList<Row>, _ rows: [Row]) -> Bool {
            guard list.id == id else { return false }
            return list.receive(rows, for: query, hasMore: hasMore, viewport: viewport)
        }
        switch (self, page) {
        case (.users(var l), .users(let rows)):
            defer { self = .users(l) }; return take(&l, rows)
        case (.user(var s), _):
            defer { self = .user(s) }
            switch page {
            case .profiles(let rows): return take(&s.profiles, rows)
            case .sessions(let rows): return take(&s.sessions, rows)
            case .memories(let rows): return take(&s.memories, rows)
            case .agentLogs(let rows): return take(&s.logs, rows)
            default: return false
            }
        case (.memories(var s), .memories(let rows)):
            defer { self = .memories(s) }; return take(&s.list, rows)
        case (.sessions(var s), .sessions(let rows)):
            defer { self = .sessions(s) }; return take(&s.list, rows)
        case (.agentLogs(var s), .agentLogs(let rows)):
            defer { self = .agentLogs(s) }; return take(&s.list, rows)
        case (.classList(var s), .classified(let rows)):
            defer { self = .classList(s) }; return take(&s.list, rows)
        case (.transcript(var s), .messages(let rows)):
            defer { self = .transcript(s) }; return take(&s.list, rows)
        default:
            return false
        }
    }

    mutating func fail(_ id: ListID, _ query: PageQuery, _ message: String) {
        func fail<Row>(_ list: inout PagedList<Row>) { if list.id == id { list.fail(message, for: query) } }
        switch self {
        case .users(var l): fail(&l); self = .users(l)
        case .user(var s): fail(&s.profiles); fail(&s.sessions); fail(&s.memories); fail(&s.logs); self = .user(s)
        case .memories(var s): fail(&s.list); self = .memories(s)
        case .sessions(var s): fail(&s.list); self = .sessions(s)
        case .agentLogs(var s): fail(&s.list); self = .agentLogs(s)
        case .classList(var s): fail(&s.list); self = .classList(s)
        case .transcript(var s): fail(&s.list); self = .transcript(s)
        default: break
        }
    }
}
