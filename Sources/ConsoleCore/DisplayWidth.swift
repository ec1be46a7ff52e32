/// How many terminal cells a grapheme takes.
///
/// One rule for the whole console, chosen to match ncursesw/wcwidth on Debian 12 for what legacy data carries:
/// East Asian Wide/Fullwidth and emoji-presentation glyphs take two cells; a grapheme whose base is text but which
/// carries VS16 (❤️) takes two; ZWJ sequences and flags count as one two-cell glyph; combining marks, ZWJ and
/// other format characters take none; control characters are drawn as one replacement cell by the buffer. Any other
/// cluster takes the sum of its scalars' widths, as a terminal advancing by `wcwidth` per scalar draws it: an Indic
/// conjunct with a spacing vowel sign (प्रि = प + ् + र + ि) takes 3 cells, not 1.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // Fast path (most cells of a screen): one scalar below U+0300 is one cell, except the soft hyphen (a format
        // character). The Unicode property lookups below cost far more than the frame's drawing.
        if first.value < 0x300, first.value != 0xAD, scalars.index(after: scalars.startIndex) == scalars.endIndex { return 1 }
        if scalars.count > 1 {
            if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }                       // VS16: emoji style
            if scalars.contains(where: { $0.value == 0x200D }) && isWide(first) { return 2 }     // ZWJ family
            if (0x1F1E6...0x1F1FF).contains(first.value) { return 2 }                           // regional-indicator flag
            if first.properties.isEmojiPresentation { return 2 }                               // skin tones, keycaps
        }
        var total = 0
        for scalar in scalars where !isZeroWidth(scalar) { total += isWide(scalar) ? 2 : 1 }
        return total
    }

    public static func of(_ text: some StringProtocol) -> Int {
        // Every ASCII scalar is one cell (CR LF, one grapheme of two scalars, is two), so ASCII text is its UTF-8 length.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
        var total = 0
        for ch in text { total += of(ch) }
        return total
    }

    static func isZeroWidth(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default:
            // ZWSP, and the Hangul medial vowels and final consonants that join a leading consonant (wcwidth 0).
            return s.value == 0x200B || (0x1160...0x11FF).contains(s.value) || (0xD7B0...0xD7FF).contains(s.value)
        }
    }

    static func isWide(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if s.properties.isEmojiPresentation { return true }
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
