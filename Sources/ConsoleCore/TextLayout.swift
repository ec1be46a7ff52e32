/// Fitting text into cells by display width: truncation with `…`, padding, and word wrapping.
///
/// Every measure here goes through `DisplayWidth`, the console's one width rule, so a CJK or emoji glyph is never
/// split and a line never overflows its column, whatever script the legacy data is in.
public enum TextLayout {
    public static let ellipsis = "…"

    /// `text` cut to at most `width` cells; when it had to be cut, the last cell is `…`.
    public static func truncate(_ text: some StringProtocol, toWidth width: Int) -> String {
        guard width > 0 else { return "" }
        let flat = singleLine(text)
        if DisplayWidth.of(flat) <= width { return flat }
        var result = ""
        var used = 0
        for character in flat {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + ellipsis
    }

    /// `text` truncated to `width` and padded with spaces to exactly `width` cells (right-aligned when asked).
    public static func fit(_ text: some StringProtocol, width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, toWidth: width)
        let gap = String(repeating: " ", count: max(0, width - DisplayWidth.of(cut)))
        return alignRight ? gap + cut : cut + gap
    }

    /// Newlines and tabs become spaces so that one value stays on one table row.
    public static func singleLine(_ text: some StringProtocol) -> String {
        var out = ""
        for character in text {
            if character == "\n" || character == "\r\n" || character == "\r" || character == "\t" { out.append(" ") }
            else { out.append(character) }
        }
        return out
    }

    /// The first `lines` lines of `text` wrapped to `width`, the last one ending in `…` when the text goes on.
    public static func head(_ text: some StringProtocol, width: Int, lines: Int) -> [String] {
        let all = wrap(text, width: width)
        guard all.count > lines else { return all }
        return all.prefix(lines - 1) + [truncate(all[lines - 1] + " …", toWidth: width)]
    }

    /// Word-wraps `text` into lines of at most `width` cells.
    ///
    /// Paragraph breaks (`\n`) are kept; words break at spaces; a word wider than the line is hard-broken between
    /// graphemes, so a CJK run (which has no spaces) or a long URL still fills the lines without ever splitting a
    /// glyph, a ZWJ emoji or a base letter from its combining marks. An empty text is one empty line.
    public static func wrap(_ text: some StringProtocol, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        let paragraphs = String(text).replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for paragraph in paragraphs {
            lines.append(contentsOf: wrapParagraph(paragraph.replacingOccurrences(of: "\t", with: "    "), width: width))
        }
        return lines.isEmpty ? [""] : lines
    }

    private static func wrapParagraph(_ paragraph: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
            let wordWidth = DisplayWidth.of(word)
            let needed = lineWidth == 0 ? wordWidth : lineWidth + 1 + wordWidth
            if needed <= width {
                if lineWidth > 0 { line.append(" "); lineWidth += 1 }
                line.append(contentsOf: word); lineWidth += wordWidth
                continue
            }
            if lineWidth > 0 { lines.append(line); line = ""; lineWidth = 0 }
            if wordWidth <= width { line = String(word); lineWidth = wordWidth; continue }
            // A word longer than the line: break it between graphemes.
            for character in word {
                let w = DisplayWidth.of(character)
                if lineWidth + w > width, lineWidth > 0 { lines.append(line); line = ""; lineWidth = 0 }
                line.append(character); lineWidth += w
            }
        }
        if lineWidth > 0 || lines.isEmpty { lines.append(line) }
        return lines
    }
}
