import Migration

/// The display form of a legacy-row-versus-Mem0-record comparison.
///
/// Built only from Migration's `MemoryComparison`, so the diff screen shows exactly what verification judged; this
/// type adds nothing but labels.
public struct DiffModel: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        public var label: String
        public var left: String
        /// nil: Mem0 has no value for this field (or no record at all).
        public var right: String?
        public var outcome: MemoryComparison.Outcome
    }

    public var leftTitle: String
    public var rightTitle: String
    public var hasRecord: Bool
    public var lines: [Line]

    public init(comparison: MemoryComparison, legacySource: String) {
        leftTitle = "legacy #\(comparison.legacyID) (\(legacySource))"
        rightTitle = comparison.mem0ID.map { "Mem0 \($0)" } ?? "Mem0: NO RECORD"
        hasRecord = comparison.mem0ID != nil
        lines = comparison.lines.map { Line(label: $0.field.rawValue, left: $0.legacyValue, right: $0.mem0Value, outcome: $0.outcome) }
    }

    public var differingFields: Int { lines.filter { $0.outcome != .equal }.count }
}

/// Side-by-side diff: field label, left pane, right pane, wrapped in step so row N on the left faces row N on the right.
public enum DiffView {
    public struct Row: Equatable, Sendable {
        public var label: String
        public var left: String
        public var right: String
        public var leftStyle: Style
        public var rightStyle: Style
    }

    public static let labelWidth = 17

    /// Pane widths for a total width: label, left, separator ` │ `, right.
    public static func paneWidths(total: Int) -> (left: Int, right: Int) {
        let rest = max(0, total - labelWidth - 3)
        let left = rest / 2
        return (left, rest - left)
    }

    /// The laid-out rows (without the title row): what the screen scrolls through.
    public static func rows(_ model: DiffModel, width: Int) -> [Row] {
        let (lw, rw) = paneWidths(total: width)
        guard lw > 0, rw > 0 else { return [] }
        var rows: [Row] = []
        for line in model.lines {
            let leftLines = TextLayout.wrap(line.left, width: lw)
            let rightText = line.right ?? (model.hasRecord ? "✗ MISSING IN MEM0" : "✗ NO MEM0 RECORD")
            let rightLines = TextLayout.wrap(rightText, width: rw)
            let style: (Style, Style)
            switch line.outcome {
            case .equal: style = (.dim, .dim)
            case .different: style = (.changed, .changed)
            case .missing: style = (.plain, .error)
            }
            for i in 0..<max(leftLines.count, rightLines.count) {
                rows.append(Row(label: i == 0 ? line.label : "",
                                left: i < leftLines.count ? leftLines[i] : "",
                                right: i < rightLines.count ? rightLines[i] : "",
                                leftStyle: style.0, rightStyle: style.1))
            }
        }
        return rows
    }

    /// Draws the titles on the first line of `area` and the rows from `offset` below them.
    public static func render(_ model: DiffModel, offset: Int, into buffer: inout Buffer, area: Rect) {
        guard area.height > 0 else { return }
        let (lw, rw) = paneWidths(total: area.width)
        let leftX = area.x + labelWidth, sepX = leftX + lw, rightX = sepX + 3
        buffer.fill(x: area.x, y: area.y, width: area.width, height: 1, style: .header)
        buffer.put(TextLayout.fit("field", width: labelWidth - 1), x: area.x, y: area.y, style: .header)
        buffer.put(TextLayout.truncate(model.leftTitle, toWidth: lw), x: leftX, y: area.y, style: .header)
        buffer.put(" │ ", x: sepX, y: area.y, style: .header)
        if !model.hasRecord { buffer.fill(x: rightX, y: area.y, width: rw, height: 1, style: .error) }
        buffer.put(TextLayout.truncate(model.rightTitle, toWidth: rw), x: rightX, y: area.y,
                   style: model.hasRecord ? .header : .error)
        let all = rows(model, width: area.width)
        for line in 0..<(area.height - 1) {
            let index = offset + line
            guard index < all.count else { break }
            let row = all[index], y = area.y + 1 + line
            buffer.put(TextLayout.truncate(row.label, toWidth: labelWidth - 1), x: area.x, y: y, style: .bold)
            if row.leftStyle != .plain { buffer.fill(x: leftX, y: y, width: lw, height: 1, style: row.leftStyle) }
            buffer.put(row.left, x: leftX, y: y, style: row.leftStyle, limit: lw)
            buffer.put(" │ ", x: sepX, y: y, style: .dim)
            if row.rightStyle != .plain { buffer.fill(x: rightX, y: y, width: rw, height: 1, style: row.rightStyle) }
            buffer.put(row.right, x: rightX, y: y, style: row.rightStyle, limit: rw)
        }
    }
}
