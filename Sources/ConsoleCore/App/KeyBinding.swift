import Migration

/// Everything a key can ask for. Screens choose which actions they offer through their binding tables.
public enum Action: Equatable, Hashable, Sendable {
    case moveUp, moveDown, pageUp, pageDown, halfPageUp, halfPageDown, top, end
    case open, back, quit, filter, help, refresh
    case diff, verify, migrate, agentLogs
    case nextTab, previousTab, tab(Int)
    case showRejected, showDuplicates, showMismatches
    case toggle, increase, decrease, confirm, next, cancelRun
    case audit, repair, copy, changeDirection, toggleMem0Deletion, openRows, writeLedger, jump, metadataRows
    /// Select (or, when all are selected, unselect) every audit finding of a kind.
    case selectKind(DriftFinding.Kind)
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
    /// The motion keys, one table for lists (by row, paging) and text screens (by line, scrolling).
    static func motion(rows: Bool) -> [KeyBinding] {
        [KeyBinding([.char("j"), .down], "j/k", rows ? "move" : "scroll",
                    rows ? "next row (loads the next page at the end)" : "one line down", .moveDown),
         KeyBinding([.char("k"), .up], "k", "up", rows ? "previous row" : "one line up", .moveUp, hint: false),
         KeyBinding([.pageDown, .char(" ")], "PgDn", "page", rows ? "next page" : "one page down", .pageDown, hint: false),
         KeyBinding([.pageUp], "PgUp", "page up", rows ? "previous page" : "one page up", .pageUp, hint: false),
         KeyBinding([.ctrl("d")], "C-d", "½ down", "half a page down", .halfPageDown, hint: false),
         KeyBinding([.ctrl("u")], "C-u", "½ up", "half a page up", .halfPageUp, hint: false),
         KeyBinding([.char("g"), .home], "g/G", "top/end", rows ? "first row (g, Home)" : "top (g, Home)", .top),
         KeyBinding([.char("G"), .end], "G", "end", rows ? "last row (G, End)" : "end (G, End)", .end, hint: false)]
    }
    static let listMotion = motion(rows: true)
    static let textMotion = motion(rows: false)
    static let common: [KeyBinding] = [
        KeyBinding([.char("/")], "/", "filter", "filter (Enter applies, Esc cancels); #40 jumps to id 40", .filter),
        KeyBinding([.char(":")], ":", "jump", "jump to a row by id (type the id, Enter)", .jump, hint: false),
        KeyBinding([.char("r")], "r", "refresh", "reload what is shown", .refresh, hint: false),
        KeyBinding([.char("?")], "?", "help", "show every key of this screen", .help),
    ]
    static let back = KeyBinding([.char("q"), .escape], "q", "back", "go back (quit on the first screen)", .back)
    static let quitHere = KeyBinding([.char("q")], "q", "quit", "quit memconsole", .quit)
    static let global: [KeyBinding] = [
        KeyBinding([.char("v")], "v", "verify", "verification: do the counts hold?", .verify),
        KeyBinding([.char("m")], "m", "migrate", "open the migration wizard", .migrate),
        KeyBinding([.char("A")], "A", "audit", "drift audit: metadata rows against Mem0, both ways", .audit, hint: false),
        KeyBinding([.char("M")], "M", "metadata", "every memories_metadata row of the file", .metadataRows, hint: false),
    ]
    static let help = KeyBinding([.char("?")], "?", "help", "show every key of this screen", .help)
    static let tabs: [KeyBinding] = [
        KeyBinding([.tab, .right, .char("l")], "Tab", "section", "next section (Tab, →)", .nextTab),
        KeyBinding([.backTab, .left, .char("h")], "S-Tab", "prev", "previous section (Shift-Tab, ←)", .previousTab, hint: false),
        KeyBinding([.char("1")], "1", "profiles", "profiles", .tab(0), hint: false),
        KeyBinding([.char("2")], "2", "sessions", "sessions", .tab(1), hint: false),
        KeyBinding([.char("3")], "3", "memories", "memories", .tab(2), hint: false),
        KeyBinding([.char("4")], "4", "logs", "agent logs", .tab(3), hint: false),
        KeyBinding([.char("5")], "5", "Mem0", "the user's memories as Mem0 holds them", .tab(4), hint: false),
    ]

    public static let users: [KeyBinding] =
        [KeyBinding([.enter], "⏎", "open", "open the user: profiles, sessions, memories, logs", .open)]
        + listMotion + common + global + [quitHere]

    public static let user: [KeyBinding] =
        [KeyBinding([.enter], "⏎", "open", "open the selected profile, session, memory or log (Mem0: its history)", .open),
         KeyBinding([.char("d")], "d", "diff", "legacy row vs Mem0 record (memories section)", .diff),
         KeyBinding([.char("s")], "s", "search", "search the user's Mem0 memories, ranked (Mem0 section; / too)", .filter),
         KeyBinding([.char("o")], "o", "rows", "the memory's metadata row and legacy row, as stored (Mem0 section)", .openRows),
         KeyBinding([.char("y")], "y", "yank id", "copy the full Mem0 id (memories and Mem0 sections; OSC 52)", .copy)]
        + tabs + listMotion + common + global + [back]

    /// The user screen's table for one section: `d` (diff) is offered in the hints only where it means a diff, the
    /// Mem0 keys only in the Mem0 section.
    public static func user(_ tab: UserScreen.Tab) -> [KeyBinding] {
        user.map { b in
            var b = b
            switch b.action {
            case .diff: b.isHint = tab == .memories
            case .openRows, .copy: b.isHint = tab == .mem0
            case .filter: b.isHint = (b.keys == [.char("s")]) == (tab == .mem0)
            default: break
            }
            return b
        }
    }

    static let mem0Keys: [KeyBinding] = [
        KeyBinding([.char("o")], "o", "rows", "the memory's metadata row and legacy row, as stored", .openRows),
        KeyBinding([.char("y")], "y", "yank id", "copy the full Mem0 id to the clipboard (OSC 52)", .copy),
    ]

    public static let mem0Search: [KeyBinding] =
        [KeyBinding([.enter], "⏎", "history", "the memory's history: events, old and new text", .open)] + mem0Keys
        + listMotion + [KeyBinding([.char("/"), .char("s")], "/", "search", "search again (Enter searches, Esc cancels)", .filter),
                        KeyBinding([.char("r")], "r", "again", "run the search again", .refresh, hint: false), help, back]

    public static let mem0History: [KeyBinding] =
        mem0Keys + textMotion + [KeyBinding([.char("r")], "r", "refetch", "ask Mem0 for the history again", .refresh, hint: false), help, back]

    public static let memoryRows: [KeyBinding] =
        [KeyBinding([.char("y")], "y", "yank id", "copy the full Mem0 id to the clipboard (OSC 52)", .copy)]
        + textMotion + [KeyBinding([.char("r")], "r", "reload", "read the rows again", .refresh, hint: false), help, back]

    public static let memories: [KeyBinding] =
        [KeyBinding([.enter, .char("d")], "⏎/d", "diff", "legacy row vs its Mem0 record, side by side", .diff)]
        + listMotion + common + [back]

    public static let metadataRows: [KeyBinding] =
        [KeyBinding([.enter, .char("d")], "⏎/d", "diff", "the row's legacy row vs its Mem0 record", .diff),
         KeyBinding([.char("y")], "y", "yank id", "copy the full Mem0 id to the clipboard (OSC 52)", .copy)]
        + listMotion + common + [back]

    public static let sessions: [KeyBinding] =
        [KeyBinding([.enter], "⏎", "open", "open the transcript", .open)] + listMotion + common + [back]

    public static let agentLogs: [KeyBinding] =
        [KeyBinding([.enter], "⏎", "details", "details JSON, pretty-printed", .open)] + listMotion + common + [back]

    public static let transcript: [KeyBinding] =
        textMotion + [KeyBinding([.char("a")], "a", "logs", "agent logs of this session", .agentLogs),
                      KeyBinding([.char("/")], "/", "filter", "show only the messages containing a text (Enter applies, Esc cancels)", .filter, hint: false),
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
        KeyBinding([.enter], "⏎", "open", "open the selected user", .open, hint: false),
    ] + listMotion.filter { ![.moveDown, .moveUp].contains($0.action) }.map { var b = $0; b.isHint = false; return b } + [
        KeyBinding([.char("r")], "r", "re-run", "verify again", .refresh),
        KeyBinding([.char("w")], "w", "ledger", "write the row ledger beside the file (FILE.ledger.jsonl, as memconsole report)", .writeLedger, hint: false),
        help, back,
    ]

    public static let classList: [KeyBinding] =
        [KeyBinding([.enter, .char("d")], "⏎/d", "diff", "legacy row vs its Mem0 record", .diff)]
        + listMotion + [KeyBinding([.char("/")], "/", "filter", "filter by reason or content (Enter applies, Esc cancels)", .filter, hint: false),
                        KeyBinding([.char("r")], "r", "refresh", "reload", .refresh, hint: false), help, back]

    /// The mismatches come with the verification result: nothing to reload or filter.
    public static let mismatches: [KeyBinding] =
        [KeyBinding([.enter, .char("d")], "⏎/d", "diff", "legacy row vs its Mem0 record", .diff)] + listMotion + [help, back]

    public static let driftAudit: [KeyBinding] = [
        KeyBinding([.char(" ")], "Space", "select", "select or unselect the finding for repair", .toggle),
        KeyBinding([.char("1")], "1", "dangling", "select every dangling row (again: unselect)", .selectKind(.dangling), hint: false),
        KeyBinding([.char("2")], "2", "unlinked", "select every unlinked memory (again: unselect)", .selectKind(.unlinked), hint: false),
        KeyBinding([.char("3")], "3", "disagreeing", "select every disagreeing row (again: unselect)", .selectKind(.disagreeing), hint: false),
        KeyBinding([.char("R")], "R", "repair", "review the repair of the selection (or of the finding under the cursor)", .repair),
        KeyBinding([.char("y")], "y", "yank id", "copy the finding's Mem0 id to the clipboard (OSC 52)", .copy),
    ] + listMotion.map { b in
        // Space selects here, so PgDn alone pages.
        var b = b; b.isHint = b.action == .moveDown; b.keys.removeAll { $0 == .char(" ") }; return b
    } + [
        KeyBinding([.char("r")], "r", "re-run", "audit again", .refresh),
        help, back,
    ]

    /// While a repair is reviewed: the confirm dialog's keys and the two choices that change the plan.
    public static let repairReview: [KeyBinding] = [
        KeyBinding([.tab, .left, .right, .char("h"), .char("l")], "Tab", "switch", "switch button", .toggle),
        KeyBinding([.enter], "⏎", "choose", "press the focused button", .confirm),
        KeyBinding([.char("y")], "y", "repair", "apply the listed changes", .next),
        KeyBinding([.char("d")], "d", "direction", "disagreeing rows: Mem0 → row, or row → Mem0", .changeDirection),
        KeyBinding([.char("X")], "X", "delete unlinked", "unlinked memories: delete them in Mem0 instead of adopting them (cannot be undone)", .toggleMem0Deletion, hint: false),
        KeyBinding([.char("j"), .down], "j/k", "scroll", "scroll the changes", .moveDown, hint: false),
        KeyBinding([.char("k"), .up], "k", "up", "scroll the changes up", .moveUp, hint: false),
        help,
        KeyBinding([.char("n"), .char("q"), .escape], "n", "cancel", "close without repairing", .back),
    ]

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
