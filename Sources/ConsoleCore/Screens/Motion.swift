/// Where a motion key takes a position (a row of an in-memory list, or the first line of a scrolling text): one
/// rule for both, so `j`, PgDn, Ctrl-d, `g` and `G` mean the same on every screen.
enum Motion {
    /// The new position for `action` from `position`, clamped to `0...last`; nil when `action` is not a motion.
    static func target(_ action: Action, from position: Int, viewport: Int, last: Int) -> Int? {
        let next: Int
        switch action {
        case .top: next = 0
        case .end: next = last
        default:
            guard let step = step(action, viewport: viewport) else { return nil }
            next = position + step
        }
        return min(max(0, next), max(0, last))
    }

    /// How far a relative motion moves (negative: up); nil for `top`, `end` and anything that is not a motion.
    static func step(_ action: Action, viewport: Int) -> Int? {
        switch action {
        case .moveDown: return 1
        case .moveUp: return -1
        case .pageDown: return viewport
        case .pageUp: return -viewport
        case .halfPageDown: return max(1, viewport / 2)
        case .halfPageUp: return -max(1, viewport / 2)
        default: return nil
        }
    }
}

/// The cursor of a list that is wholly in memory (verification's users, the mismatches).
public struct ListCursor: Equatable, Sendable {
    public var cursor = 0
    public var top = 0
    public init() {}

    /// Moves for a motion action; false when `action` is not one.
    mutating func perform(_ action: Action, count: Int, viewport: Int) -> Bool {
        guard let next = Motion.target(action, from: cursor, viewport: viewport, last: count - 1) else { return false }
        cursor = next
        settle(count: count, viewport: viewport)
        return true
    }

    mutating func settle(count: Int, viewport: Int) {
        cursor = min(max(0, cursor), max(0, count - 1))
        top = Scrolling.top(cursor: cursor, top: top, height: viewport, count: count)
    }
}

/// The first line shown of a scrolling text (log details, the diff).
public struct TextScroll: Equatable, Sendable {
    public var offset = 0
    public init() {}

    /// Scrolls for a motion action; false when `action` is not one.
    mutating func perform(_ action: Action, lines: Int, viewport: Int) -> Bool {
        guard let next = Motion.target(action, from: offset, viewport: viewport, last: max(0, lines - viewport)) else { return false }
        offset = next
        return true
    }

    mutating func clamp(lines: Int, viewport: Int) { offset = min(offset, max(0, lines - viewport)) }

    /// Draws `lines` from `offset` into `area`.
    func render(_ lines: [TextLine], area: Rect, into buffer: inout Buffer) {
        for i in 0..<max(0, area.height) {
            let index = offset + i
            guard index < lines.count else { break }
            buffer.put(lines[index].text, x: area.x, y: area.y + i, style: lines[index].style, limit: area.width)
        }
    }
}
