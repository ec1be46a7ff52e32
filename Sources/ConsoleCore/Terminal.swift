/// A key as the core understands it, decoded by the terminal layer.
public enum Key: Hashable, Sendable {
    case up, down, left, right, pageUp, pageDown, home, end, enter, escape, tab, backTab, backspace, delete
    case function(Int)
    case char(Character)
    case ctrl(Character)
}

/// What the terminal layer reports to the run loop.
public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case wheel(up: Bool)
}

/// The seam between the pure core and a real terminal: ncurses in the product, an in-memory terminal in tests.
public protocol Terminal: AnyObject {
    /// Current size in cells.
    var size: (width: Int, height: Int) { get }
    /// Draws `buffer`, writing only the cells that differ from the last drawn frame.
    func draw(_ buffer: Buffer)
    /// Waits up to `timeoutMilliseconds` for input; `nil` means no input arrived in time.
    func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent?
    /// Puts the terminal back as it was (also called on signals and crashes by the implementation).
    func restore()
    /// Puts `text` on the clipboard of the operator's terminal (OSC 52: it reaches the local clipboard over ssh and
    /// through tmux, where nothing else can).
    func copyToClipboard(_ text: String)
}
