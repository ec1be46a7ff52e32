/// Everything a key can ask for. Screens choose which actions they offer through their binding tables.
public enum Action: Equatable, Hashable, Sendable {
    case moveUp, moveDown, pageUp, pageDown, halfPageUp, halfPageDown, top, end
    case open, back, quit, filter, help, refresh
    case diff, verify, migrate, agentLogs
    case nextTab, previousTab, tab(Int)
    case showRejected, showDuplicates, showMismatches
    case toggle, increase, decrease, confirm, next, cancelRun
}

/// One row of a screen's key table: drives dispatch, the hint bar and the `?` overlay, so the three never disagree.
public struct KeyBinding: Equatable, Sendable {
    public var keys: [Key]
    /// How the keys are shown in the hint bar (`j/↓`).
    public var label: String
    /// One or two words for the hint bar.
    public var shortHelp: String
    /// The sentence in the `?` overlay.
    public var help: String
    public var action: Action
    /// Shown in the bottom hint bar (the overlay shows every binding).
    public var isHint: Bool

    public init(_ keys: [Key], _ label: String, _ shortHelp: String, _ help: String, _ action: Action, hint: Bool = true) {
        self.keys = keys; self.label = label; self.shortHelp = shortHelp; self.help = help; self.action = action; self.isHint = hint
    }

    /// Every key of the binding, for the overlay (`j ↓`).
    public var keysText: String { keys.map(Self.name).joined(separator: " ") }

    public static func name(_ key: Key) -> String {
        switch key {
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .function(let n): return "F\(n)"
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "C-\(c)"
        }
    }
}

/// The key tables, one per screen. Shared groups are composed so a key means the same thing everywhere.
public enum Bindings {
    static let listMotion: [KeyBinding] = [
        KeyBinding([.char("j"), .down], "j/k", "move", "next row (loads the next page at the end)", .moveDown),
        KeyBinding([.char("k"), .up], "k", "up", "previous row", .moveUp, hint: false),
        KeyBinding([.pageDown, .char(" ")], "PgDn", "page", "next page", .pageDown, hint: false),
        KeyBinding([.pageUp], "PgUp", "page up", "previous page", .pageUp, hint: false),
        KeyBinding([.ctrl("d")], "C-d", "½ down", "half a page down", .halfPageDown, hint: false),
        KeyBinding([.ctrl("u")], "C-u", "½ up", "half a page up", .halfPageUp, hint: false),
        KeyBinding([.char("g"), .home], "g/G", "top/end", "first row (g, Home)", .top),
        KeyBinding([.char("G"), .end], "G", "end", "last row (G, End)", .end, hint: false),
    ]
    static let common: [KeyBinding] = [
        KeyBinding([.char("/")], "/", "filter", "filter this list (Enter applies, Esc cancels)", .filter),
        KeyBinding([.char("r")], "r", "refresh", "reload what is shown", .refresh, hint: false),
        KeyBinding([.char("?")], "?", "help", "show every key of this screen", .help),
    ]
    static let back = KeyBinding([.char("q"), .escape], "q", "back", "go back (quit on the first screen)", .back)
    static let quitHere = KeyBinding([.char("q")], "q", "quit", "quit memconsole", .quit)
    static let global: [KeyBinding] = [
        KeyBinding([.char("v")], "v", "verify", "verification: do the counts hold?", .verify),
        KeyBinding([.char("m")], "m", "migrate", "open the migration wizard", .migrate),
    ]
    static let textMotion: [KeyBinding] = [
        KeyBinding([.char("j"), .down], "j/k", "scroll", "one line down", .moveDown),
        KeyBinding([.char("k"), .up], "k", "up", "one line up", .moveUp, hint: false),
        KeyBinding([.pageDown, .char(" ")], "PgDn", "page", "one page down", .pageDown, hint: false),
        KeyBinding([.pageUp], "PgUp", "page up", "one page up", .pageUp, hint: false),
        KeyBinding([.ctrl("d")], "C-d", "½ down", "half a page down", .halfPageDown, hint: false),
        KeyBinding([.ctrl("u")], "C-u", "½ up", "half a page up", .halfPageUp, hint: false),
        KeyBinding([.char("g"), .home], "g/G", "top/end", "top (g, Home)", .top),
        KeyBinding([.char("G"), .end], "G", "end", "end (G, End)", .end, hint: false),
    ]
    static let help = KeyBinding([.char("?")], "?", "help", "show every key of this screen", .help)
    static let tabs: [KeyBinding] = [
        KeyBinding([.tab, .right, .char("l")], "Tab", "section", "next section (Tab, →)", .nextTab),
        KeyBinding([.backTab, .left, .char("h")], "S-Tab", "prev", "previous section (Shift-Tab, ←)", .previousTab, hint: false),
        KeyBinding([.char("1")], "1", "profiles", "profiles", .tab(0), hint: false),
        KeyBinding([.char("2")], "2", "sessions", "sessions", .tab(1), hint: false),
        KeyBinding([.char("3")], "3", "memories", "memories", .tab(2), hint: false),
        KeyBinding([.char("4")], "4", "logs", "agent logs", .tab(3), hint: false),
    ]

    public static let users: [KeyBinding] =
        [KeyBinding([.enter], "⏎", "open", "open the user: profiles, sessions, memories, logs", .open)]
        + listMotion + common + global + [quitHere]

    public static let user: [KeyBinding] =
        [KeyBinding([.enter], "⏎", "open", "open the selected profile, session, memory or log", .open),
         KeyBinding([.char("d")], "d", "diff", "legacy row vs Mem0 record (memories section)", .diff)]
        + tabs + listMotion + common + global + [back]

    /// The user screen's table for one section: `d` (diff) is offered in the hints only where it means a diff.
    public static func user(_ tab: UserScreen.Tab) -> [KeyBinding] {
        user.map { b in
            var b = b
            if b.action == .diff { b.isHint = tab == .memories }
            return b
        }
    }

    public static let memories: [KeyBinding] =
        [KeyBinding([.enter, .char("d")], "⏎/d", "diff", "legacy row vs its Mem0 record, side by side", .diff)]
        + listMotion + common + [back]

    public static let sessions: [KeyBinding] =
        [KeyBinding([.enter], "⏎", "open", "open the transcript", .open)] + listMotion + common + [back]

    public static let agentLogs: [KeyBinding] =
        [KeyBinding([.enter], "⏎", "details", "details JSON, pretty-printed", .open)] + listMotion + common + [back]

    public static let transcript: [KeyBinding] =
        textMotion + [KeyBinding([.char("a")], "a", "logs", "agent logs of this session", .agentLogs),
                      KeyBinding([.char("r")], "r", "refresh", "reload the messages", .refresh, hint: false),
                      help, back]

    public static let logDetail: [KeyBinding] = textMotion + [help, back]

    public static let diff: [KeyBinding] =
        textMotion + [KeyBinding([.char("r")], "r", "refetch", "fetch the Mem0 record again", .refresh), help, back]

    public static let verification: [KeyBinding] = [
        KeyBinding([.char("1")], "1", "rejected", "rejected rows with their reasons", .showRejected),
        KeyBinding([.char("2")], "2", "duplicates", "duplicate rows and the memory they fold into", .showDuplicates),
        KeyBinding([.char("3")], "3", "mismatches", "links whose Mem0 record differs or is missing", .showMismatches),
        KeyBinding([.char("j"), .down], "j/k", "move", "next user", .moveDown),
        KeyBinding([.char("k"), .up], "k", "up", "previous user", .moveUp, hint: false),
        KeyBinding([.char("r")], "r", "re-run", "verify again", .refresh),
        help, back,
    ]

    public static let classList: [KeyBinding] =
        [KeyBinding([.enter, .char("d")], "⏎/d", "diff", "legacy row vs its Mem0 record", .diff)]
        + listMotion + [KeyBinding([.char("r")], "r", "refresh", "reload", .refresh, hint: false), help, back]

    public static func wizard(_ step: WizardStep) -> [KeyBinding] {
        switch step {
        case .preflight, .plan, .verify:
            return [KeyBinding([.enter, .char("n")], "⏎", "next", "next step", .next),
                    KeyBinding([.char("r")], "r", "re-check", "run this step again", .refresh), help,
                    KeyBinding([.char("q"), .escape], "q", "leave", "leave the wizard (nothing changes before the run)", .back)]
        case .options:
            return [KeyBinding([.char("j"), .down], "j/k", "move", "next option", .moveDown),
                    KeyBinding([.char("k"), .up], "k", "up", "previous option", .moveUp, hint: false),
                    KeyBinding([.char(" ")], "Space", "toggle", "switch a yes/no option", .toggle),
                    KeyBinding([.char("+"), .right], "+/-", "change", "raise a number option (+, →)", .increase),
                    KeyBinding([.char("-"), .left], "-", "lower", "lower a number option (-, ←)", .decrease, hint: false),
                    KeyBinding([.enter, .char("n")], "⏎", "next", "confirm the options", .next), help,
                    KeyBinding([.char("q"), .escape], "q", "leave", "leave the wizard (nothing changes before the run)", .back)]
        case .confirm:
            return [KeyBinding([.tab, .left, .right, .char("h"), .char("l")], "Tab", "switch", "switch button", .toggle),
                    KeyBinding([.enter], "⏎", "choose", "press the focused button", .confirm),
                    KeyBinding([.char("y")], "y", "migrate", "start the migration", .next),
                    KeyBinding([.char("n"), .char("q"), .escape], "n", "cancel", "back to the options", .back)]
        case .run:
            return [KeyBinding([.char("x")], "x", "cancel run", "stop the run cleanly; it can be resumed later", .cancelRun),
                    KeyBinding([.enter], "⏎", "resume", "resume the interrupted run (when one is offered)", .next, hint: false), help,
                    KeyBinding([.char("q"), .escape], "q", "leave", "leave the wizard (only once the run has ended)", .back, hint: false)]
        case .done:
            return [KeyBinding([.char("v")], "v", "verify", "open the verification screen", .verify), help,
                    KeyBinding([.char("q"), .escape, .enter], "q", "close", "close the wizard", .back)]
        }
    }
}
