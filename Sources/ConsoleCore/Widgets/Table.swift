/// A column of a `Table`: its title and how it claims width.
public struct TableColumn: Equatable, Sendable {
    public var title: String
    /// Never narrower than this (unless the screen itself is narrower).
    public var minWidth: Int
    /// Never wider than this (nil: no cap).
    public var maxWidth: Int?
    /// Share of the width left over after every column has its content width; 0 means "content width only".
    public var flex: Int
    public var alignRight: Bool

    public init(_ title: String, min: Int = 3, max: Int? = nil, flex: Int = 0, alignRight: Bool = false) {
        self.title = title; self.minWidth = min; self.maxWidth = max; self.flex = flex; self.alignRight = alignRight
    }
}

/// One table row as the widget sees it: cell texts and the style each cell is drawn in (selection overrides it).
public struct TableRow: Equatable, Sendable {
    public var cells: [String]
    public var styles: [Style]
    public init(_ cells: [String], styles: [Style] = []) { self.cells = cells; self.styles = styles }
    func style(at index: Int) -> Style { index < styles.count ? styles[index] : .plain }
}

/// A table with a header row, columns sized by content, truncation with `…`, and a selection bar.
///
/// The caller passes only the rows it holds (a keyset window); `top` is the first of them shown, kept by
/// `Scrolling.top(...)` so the cursor stays in view.
public struct Table: Sendable {
    public var columns: [TableColumn]
    public var rows: [TableRow]
    public var selected: Int?
    public var top: Int
    public static let gap = 1

    public init(columns: [TableColumn], rows: [TableRow], selected: Int? = nil, top: Int = 0) {
        self.columns = columns; self.rows = rows; self.selected = selected; self.top = top
    }

    /// Widths that fit `width`: each column gets its content width within [min, max]; the rest goes to flex columns
    /// by share; when too wide, the widest shrinkable columns give cells back down to their minimum.
    public static func columnWidths(_ columns: [TableColumn], rows: [TableRow], width: Int) -> [Int] {
        guard !columns.isEmpty else { return [] }
        var widths = columns.enumerated().map { index, column -> Int in
            var content = DisplayWidth.of(column.title)
            for row in rows where index < row.cells.count {
                content = max(content, DisplayWidth.of(TextLayout.singleLine(row.cells[index])))
            }
            var w = max(column.minWidth, content)
            if let cap = column.maxWidth { w = min(w, cap) }
            return w
        }
        let available = width - gap * (columns.count - 1)
        var total = widths.reduce(0, +)
        if total < available {
            widths = distribute(available - total, among: columns, widths: widths)
        } else {
            while total > available {
                guard let i = widths.indices.filter({ widths[$0] > columns[$0].minWidth }).max(by: { widths[$0] < widths[$1] })
                else { break }
                widths[i] -= 1; total -= 1
            }
            // Still too wide (a screen narrower than the minimums): cut columns from the right.
            var running = 0
            for i in widths.indices {
                let room = max(0, width - running)
                widths[i] = min(widths[i], room)
                running += widths[i] + gap
            }
        }
        return widths
    }

    /// Gives `spare` cells to the flex columns by share, never past a column's `maxWidth`; what a capped column
    /// cannot take goes round again to the others. When every flex column is capped the table stays narrower than
    /// the line: blank space on the right reads better than a name column stretched far from its numbers.
    static func distribute(_ spare: Int, among columns: [TableColumn], widths: [Int]) -> [Int] {
        var widths = widths
        var spare = spare
        while spare > 0 {
            let open = columns.indices.filter { columns[$0].flex > 0 && widths[$0] < (columns[$0].maxWidth ?? Int.max) }
            guard !open.isEmpty else { break }
            let shareSum = open.map { columns[$0].flex }.reduce(0, +)
            var given = 0
            for (n, i) in open.enumerated() {
                // Rounding leftovers go to the last open column so an uncapped table fills the line exactly.
                let want = n == open.count - 1 ? spare - given : spare * columns[i].flex / shareSum
                let room = (columns[i].maxWidth ?? Int.max) - widths[i]
                let extra = min(want, room)
                widths[i] += extra; given += extra
            }
            if given == 0 { break }
            spare -= given
        }
        return widths
    }

    /// Draws the header at `area.y` and rows below it, clipped to `area`.
    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.height > 0, area.width > 0 else { return }
        let widths = Self.columnWidths(columns, rows: rows, width: area.width)
        buffer.fill(x: area.x, y: area.y, width: area.width, height: 1, style: .header)
        var x = area.x
        for (i, column) in columns.enumerated() where widths[i] > 0 {
            buffer.put(TextLayout.fit(column.title, width: widths[i], alignRight: column.alignRight), x: x, y: area.y, style: .header)
            x += widths[i] + Self.gap
        }
        let bodyHeight = area.height - 1
        guard bodyHeight > 0 else { return }
        for line in 0..<bodyHeight {
            let index = top + line
            guard index < rows.count else { break }
            let y = area.y + 1 + line
            let isSelected = index == selected
            if isSelected { buffer.fill(x: area.x, y: y, width: area.width, height: 1, style: .selected) }
            var x = area.x
            for (i, column) in columns.enumerated() where widths[i] > 0 {
                let text = i < rows[index].cells.count ? rows[index].cells[i] : ""
                let style = isSelected ? .selected : rows[index].style(at: i)
                buffer.put(TextLayout.fit(text, width: widths[i], alignRight: column.alignRight), x: x, y: y, style: style)
                x += widths[i] + Self.gap
            }
        }
    }
}

/// A rectangle of cells.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxY: Int { y + height }
    public var maxX: Int { x + width }
}

/// Keeping a cursor in view.
public enum Scrolling {
    /// The first visible index so that `cursor` is inside a viewport of `height` rows, moving the view as little as
    /// possible from `top` (the way k9s and lazygit scroll).
    public static func top(cursor: Int, top: Int, height: Int, count: Int) -> Int {
        guard height > 0, count > 0 else { return 0 }
        var t = top
        if cursor < t { t = cursor }
        if cursor >= t + height { t = cursor - height + 1 }
        return max(0, min(t, max(0, count - height)))
    }
}
