import Foundation

/// Where a keyset page starts. Rows always come back in ascending id order, whatever the direction.
public enum PageAnchor: Equatable, Hashable, Sendable {
    case first
    /// Rows with id > the given id.
    case after(Int64)
    /// Rows with id < the given id (the ones closest to it).
    case before(Int64)
    case last
}

/// One page to load: the anchor, how many rows (derived from the visible height), and the filter text typed after
/// `/` (the composition root binds it as a SQL parameter; it is never spliced into SQL).
///
/// The loader fetches `limit + 1` rows to answer `hasMore`: for `.first`/`.after` "there are rows after these", for
/// `.before`/`.last` "there are rows before these".
public struct PageQuery: Equatable, Hashable, Sendable {
    public var anchor: PageAnchor
    public var limit: Int
    public var filter: String?
    public init(_ anchor: PageAnchor, limit: Int, filter: String? = nil) {
        self.anchor = anchor; self.limit = limit; self.filter = filter
    }
}

/// Which list a page belongs to.
public enum ListID: Equatable, Hashable, Sendable {
    case users
    case profiles(userID: Int64)
    case sessions(userID: Int64)
    /// Memories of a user, optionally of one profile only.
    case memories(userID: Int64, profileID: Int64?)
    case agentLogs(LogScope)
    case messages(sessionID: Int64)
    case rejectedRows
    case duplicateRows
    /// Every `memories_metadata` row of the file.
    case metadataRows

    public enum LogScope: Equatable, Hashable, Sendable {
        case user(Int64)
        case session(Int64)
    }
}

/// A keyset-paged window over one list: only the rows near the cursor are held, never the whole table.
///
/// The window holds at most `capacity` rows; moving past either end asks for the neighbouring page and trims the far
/// end. A page that arrives for a query other than the pending one is stale (the operator moved on) and is ignored.
public struct PagedList<Row: PageRow>: Equatable, Sendable {
    public enum Intent: Equatable, Sendable { case reset, end, lineDown, lineUp, pageDown, pageUp, refresh, jump }

    public var id: ListID
    public var rows: [Row] = []
    public var cursor = 0
    public var top = 0
    public var hasMoreBefore = false
    public var hasMoreAfter = false
    public var filter: String?
    public var pending: PageQuery?
    public var pendingIntent: Intent?
    public var error: String?
    /// True once any page arrived (so "no rows" can be told apart from "not loaded yet").
    public var isLoaded = false

    public init(id: ListID) { self.id = id }

    public var isLoading: Bool { pending != nil }
    public var selected: Row? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    /// The effect-free part of starting a load: remembers what is pending and returns the query to send.
    public mutating func request(_ anchor: PageAnchor, limit: Int, intent: Intent) -> PageQuery {
        let query = PageQuery(anchor, limit: max(1, limit), filter: filter)
        pending = query; pendingIntent = intent; error = nil
        return query
    }

    /// Merges an arrived page. Returns false when it was stale and ignored.
    @discardableResult
    public mutating func receive(_ page: [Row], for query: PageQuery, hasMore: Bool, viewport: Int) -> Bool {
        guard query == pending, let intent = pendingIntent else { return false }
        pending = nil; pendingIntent = nil; error = nil; isLoaded = true
        let capacity = max(viewport * 3, 3)
        switch intent {
        case .reset:
            rows = page; cursor = 0; top = 0
            hasMoreBefore = false; hasMoreAfter = hasMore
        case .jump:
            // The row asked for (or the next id) on top; rows before it may exist, and moving up asks.
            rows = page; cursor = 0; top = 0
            hasMoreBefore = true; hasMoreAfter = hasMore
        case .refresh:
            let keep = cursor
            rows = page; cursor = min(keep, max(0, rows.count - 1))
            hasMoreAfter = hasMore
        case .end:
            rows = page; cursor = max(0, rows.count - 1)
            hasMoreAfter = false; hasMoreBefore = hasMore
        case .lineDown, .pageDown:
            let step = intent == .lineDown ? 1 : viewport
            let oldLast = rows.count - 1
            rows.append(contentsOf: page)
            hasMoreAfter = hasMore
            cursor = page.isEmpty ? max(0, oldLast) : min(rows.count - 1, intent == .lineDown ? oldLast + 1 : cursor + step)
            if rows.count > capacity {
                let drop = rows.count - capacity
                rows.removeFirst(drop); cursor -= drop; top -= drop; hasMoreBefore = true
            }
        case .lineUp, .pageUp:
            let step = intent == .lineUp ? 1 : viewport
            rows.insert(contentsOf: page, at: 0)
            hasMoreBefore = hasMore
            cursor = max(0, cursor + page.count - step)
            top += page.count
            if rows.count > capacity {
                rows.removeLast(rows.count - capacity); hasMoreAfter = true
            }
        }
        top = Scrolling.top(cursor: cursor, top: top, height: viewport, count: rows.count)
        return true
    }

    public mutating func fail(_ message: String, for query: PageQuery) {
        guard query == pending else { return }
        pending = nil; pendingIntent = nil; error = message
    }

    // MARK: Moving the cursor; each returns the query to load when the window must move.

    public mutating func moveDown(viewport: Int) -> PageQuery? {
        if cursor + 1 < rows.count { cursor += 1; settle(viewport); return nil }
        guard hasMoreAfter, !isLoading, let last = rows.last else { return nil }
        return request(.after(last.id), limit: viewport, intent: .lineDown)
    }

    public mutating func moveUp(viewport: Int) -> PageQuery? {
        if cursor > 0 { cursor -= 1; settle(viewport); return nil }
        guard hasMoreBefore, !isLoading, let first = rows.first else { return nil }
        return request(.before(first.id), limit: viewport, intent: .lineUp)
    }

    public mutating func pageDown(viewport: Int) -> PageQuery? {
        if cursor + viewport < rows.count { cursor += viewport; settle(viewport); return nil }
        if hasMoreAfter, let last = rows.last {
            return request(.after(last.id), limit: viewport, intent: .pageDown)
        }
        cursor = max(0, rows.count - 1); settle(viewport); return nil
    }

    public mutating func pageUp(viewport: Int) -> PageQuery? {
        if cursor - viewport >= 0 { cursor -= viewport; settle(viewport); return nil }
        if hasMoreBefore, let first = rows.first {
            return request(.before(first.id), limit: viewport, intent: .pageUp)
        }
        cursor = 0; settle(viewport); return nil
    }

    public mutating func home(viewport: Int) -> PageQuery {
        request(.first, limit: viewport * 2, intent: .reset)
    }

    public mutating func end(viewport: Int) -> PageQuery {
        request(.last, limit: viewport * 2, intent: .end)
    }

    /// Reloads the rows from the first one held (ids are integers: `after(first - 1)` starts at `first`), keeping
    /// the cursor where it was; an empty list loads its first page.
    public mutating func refresh(viewport: Int) -> PageQuery {
        guard let first = rows.first else { return request(.first, limit: viewport * 2, intent: .reset) }
        let limit = max(rows.count, viewport * 2)
        return hasMoreBefore ? request(.after(first.id - 1), limit: limit, intent: .refresh)
            : request(.first, limit: limit, intent: .refresh)
    }

    /// The window starting at the row with `id` (or the next id there is), under the current filter.
    public mutating func jump(to id: Int64, viewport: Int) -> PageQuery {
        request(.after(id - 1), limit: viewport * 2, intent: .jump)
    }

    public mutating func applyFilter(_ text: String?, viewport: Int) -> PageQuery {
        let trimmed = text?.trimmingCharacters(in: .whitespaces)
        filter = (trimmed?.isEmpty ?? true) ? nil : trimmed
        return request(.first, limit: viewport * 2, intent: .reset)
    }

    public mutating func settle(_ viewport: Int) {
        cursor = min(max(0, cursor), max(0, rows.count - 1))
        top = Scrolling.top(cursor: cursor, top: top, height: viewport, count: rows.count)
    }
}
