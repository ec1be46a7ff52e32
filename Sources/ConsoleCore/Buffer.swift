/// How a cell is drawn. The terminal layer maps these to colours (or to bold/reverse under `NO_COLOR`).
public enum Style: Equatable, Hashable, Sendable {
    case plain, dim, bold, selected, header, hint, added, removed, changed, ok, warning, error, accent
}

/// One terminal cell. A wide glyph occupies its cell and leaves the next ones as `continuation` cells.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var style: Style
    public init(text: String = " ", style: Style = .plain) { self.text = text; self.style = style }
    /// The right half of a wide glyph: drawn by the glyph to its left, skipped by the terminal writer.
    public static let continuation = Cell(text: "", style: .plain)
    public var isContinuation: Bool { text.isEmpty }
}

/// A screen's worth of cells that knows display width: what `render` draws into and what the terminal diffs.
public struct Buffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` from (x, y), stopping at `x + limit` (or the right edge); returns the column after the last glyph.
    ///
    /// A wide glyph that would not fit is dropped whole, never split. Control characters (tabs, newlines, escapes
    /// from legacy data) are drawn as `·` so a row can never move the cursor or inject terminal sequences.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(width, limit.map { x + $0 } ?? width)
        var column = x
        for character in text {
            var glyph = String(character)
            var w = DisplayWidth.of(character)
            if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                glyph = "·"; w = 1
            }
            if w == 0 { continue }
            guard column + w <= end else { break }
            if column >= 0 {
                self[column, y] = Cell(text: glyph, style: style)
                for extra in 1..<w { self[column + extra, y] = .continuation }
            }
            column += w
        }
        return column
    }

    /// Paints a rectangle with spaces of one style (backgrounds, selection bars, clearing).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style = .plain) {
        for row in max(y, 0)..<min(y + h, height) {
            for col in max(x, 0)..<min(x + w, width) { self[col, row] = Cell(text: " ", style: style) }
        }
    }

    /// The screen as plain text, one line per row with trailing spaces kept: what snapshot tests compare.
    public var text: String {
        (0..<height).map { y in (0..<width).map { self[$0, y].text }.joined() }.joined(separator: "\n")
    }
}
