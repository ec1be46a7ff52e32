import CNcurses
import ConsoleCore

/// Maps each `Style` to ncurses attributes: colour pairs on a colour terminal, bold/reverse/dim/underline otherwise.
///
/// `NO_COLOR` (https://no-color.org) and terminals without colours get the monochrome table, which still keeps every
/// style distinguishable (selection is reverse video, errors are bold reverse, differences are bold or underlined).
struct StylePalette {
    struct Attributes { var attrs: attr_t; var pair: Int16 }

    private var table: [Style: Attributes] = [:]
    let usesColour: Bool

    /// Every style, in the order its colour pair number is assigned.
    static let allStyles: [Style] = [.plain, .dim, .bold, .selected, .header, .hint, .added, .removed, .changed,
                                     .ok, .warning, .error, .accent]

    init(environment: [String: String]) {
        let noColorSet = !(environment["NO_COLOR"] ?? "").isEmpty
        usesColour = !noColorSet && has_colors()
        if usesColour {
            start_color()
            use_default_colors()
            for (index, style) in Self.allStyles.enumerated() {
                let pairNumber = Int16(index + 1)
                let scheme = Self.colourScheme(style)
                init_pair(pairNumber, scheme.foreground, scheme.background)
                table[style] = Attributes(attrs: scheme.attrs, pair: pairNumber)
            }
        } else {
            for style in Self.allStyles { table[style] = Attributes(attrs: Self.monochrome(style), pair: 0) }
        }
    }

    func attributes(for style: Style) -> Attributes { table[style] ?? Attributes(attrs: cn_a_normal(), pair: 0) }

    private static func colourScheme(_ style: Style) -> (foreground: Int16, background: Int16, attrs: attr_t) {
        let black = Int16(COLOR_BLACK), red = Int16(COLOR_RED), green = Int16(COLOR_GREEN)
        let yellow = Int16(COLOR_YELLOW), blue = Int16(COLOR_BLUE), magenta = Int16(COLOR_MAGENTA)
        let cyan = Int16(COLOR_CYAN), white = Int16(COLOR_WHITE), terminalDefault: Int16 = -1
        switch style {
        case .plain: return (terminalDefault, terminalDefault, cn_a_normal())
        case .dim: return (terminalDefault, terminalDefault, cn_a_dim())
        case .bold: return (terminalDefault, terminalDefault, cn_a_bold())
        case .selected: return (black, cyan, cn_a_normal())
        case .header: return (white, blue, cn_a_bold())
        case .hint: return (cyan, terminalDefault, cn_a_normal())
        case .added: return (green, terminalDefault, cn_a_normal())
        case .removed: return (red, terminalDefault, cn_a_normal())
        case .changed: return (yellow, terminalDefault, cn_a_bold())
        case .ok: return (green, terminalDefault, cn_a_bold())
        case .warning: return (yellow, terminalDefault, cn_a_bold())
        case .error: return (white, red, cn_a_bold())
        case .accent: return (magenta, terminalDefault, cn_a_bold())
        }
    }

    private static func monochrome(_ style: Style) -> attr_t {
        switch style {
        case .plain: return cn_a_normal()
        case .dim, .hint: return cn_a_dim()
        case .bold, .ok, .accent: return cn_a_bold()
        case .selected: return cn_a_reverse()
        case .header: return cn_a_bold() | cn_a_underline()
        case .added, .warning: return cn_a_bold()
        case .removed, .changed: return cn_a_bold() | cn_a_underline()
        case .error: return cn_a_bold() | cn_a_reverse()
        }
    }
}
