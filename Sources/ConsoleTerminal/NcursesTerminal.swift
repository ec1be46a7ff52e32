import CNcurses
import ConsoleCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the terminal could not be taken over; each case says what the operator can do.
public enum TerminalError: Error, Equatable, Sendable {
    case notATerminal
    case unknownTerminalType(String)

    public var operatorMessage: String {
        switch self {
        case .notATerminal:
            return "an interactive terminal is needed (stdin and stdout must be a tty); run it directly in a terminal, not through a pipe or redirect."
        case .unknownTerminalType(let term):
            return "The terminal type '\(term)' is unknown to ncurses; set TERM to one your system knows (e.g. TERM=xterm-256color) and try again."
        }
    }
}

/// The real terminal: ncursesw in raw mode, drawing only the cells that changed since the last frame.
///
/// One thread owns it: ncurses is not thread-safe and `wget_wch` may refresh the screen, so reading keys and drawing
/// happen on the same (UI) thread. Other threads wake a waiting `nextEvent` through `waker`, which is `Sendable`.
public final class NcursesTerminal: Terminal {
    /// Wakes `nextEvent` from another thread (e.g. when a database page or a Mem0 record arrives).
    public let waker: TerminalWaker
    private let palette: StylePalette
    private var previous: Buffer?
    private var needsFullRedraw = true
    private var isRestored = false
    private var scratch: [wchar_t] = Array(repeating: 0, count: 8)

    /// Whether stdin and stdout are both terminals: check before creating an `NcursesTerminal`.
    public static var standardStreamsAreTerminals: Bool { cn_is_tty(0) != 0 && cn_is_tty(1) != 0 }

    /// Takes over the terminal. Throws instead of letting ncurses exit the process on a bad TERM or a pipe.
    public init(enableMouseWheel: Bool = false, environment: [String: String]) throws {
        guard Self.standardStreamsAreTerminals else { throw TerminalError.notATerminal }
        setlocale(LC_ALL, "")
        if environment["ESCDELAY"] == nil { set_escdelay(25) }
        guard cn_newterm() != nil else { throw TerminalError.unknownTerminalType(environment["TERM"] ?? "(unset)") }
        TerminalRestorer.install()
        raw()
        noecho()
        nonl()
        keypad(cn_stdscr(), true)
        intrflush(cn_stdscr(), false)
        curs_set(0)
        palette = StylePalette(environment: environment)
        if enableMouseWheel { mousemask(cn_button4_pressed() | cn_button5_pressed(), nil); mouseinterval(0) }
        waker = try TerminalWaker()
        ResizeSignal.install(waking: waker)
        werase(cn_stdscr())
        wrefresh(cn_stdscr())
    }

    deinit { restore() }

    public var size: (width: Int, height: Int) {
        (Int(cn_max_x(cn_stdscr())), Int(cn_max_y(cn_stdscr())))
    }

    /// OSC 52 straight to the terminal, after ncurses' output: it moves no cursor and draws nothing, so the screen
    /// ncurses believes is there stays true. tmux keeps it in its paste buffer (and passes it on with `set-clipboard`).
    public func copyToClipboard(_ text: String) {
        writeToStandardOutput(Array("\u{1b}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}".utf8))
    }

    public func restore() {
        guard !isRestored else { return }
        isRestored = true
        TerminalRestorer.restore()
    }

    // MARK: input

    /// Waits for a key, a resize, a wheel turn or a wake-up (which returns `nil` early); a negative timeout waits
    /// until one of them happens.
    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        if let event = readPending() { return event }   // ncurses may hold pushed-back bytes of a sequence
        guard timeoutMilliseconds != 0 else { return nil }
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: waker.readDescriptor, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, Int32(clamping: timeoutMilliseconds))
        if fds[1].revents != 0 { waker.drain() }
        // A resize may be delivered to any thread, so it does not reliably interrupt this poll: `ResizeSignal` also
        // wakes it through the pipe, and ncurses' own SIGWINCH handler then reports KEY_RESIZE from wget_wch.
        return readPending()
    }

    private func readPending() -> TerminalEvent? {
        wtimeout(cn_stdscr(), 0)
        while true {
            var code: wint_t = 0
            let status = wget_wch(cn_stdscr(), &code)
            if status == cn_err() { return nil }
            if status == cn_key_code_yes() {
                let keyCode = Int32(code)
                if keyCode == cn_key_resize() {
                    needsFullRedraw = true
                    return .resize(width: size.width, height: size.height)
                }
                if keyCode == cn_key_mouse() {
                    let direction = cn_wheel_direction()
                    if direction != 0 { return .wheel(up: direction < 0) }
                    continue
                }
                if let key = KeyDecoder.decode(keyCode: keyCode) { return .key(key) }
                continue
            }
            if let key = KeyDecoder.decode(character: UInt32(code)) { return .key(key) }
        }
    }

    // MARK: output

    /// Writes the cells that differ from the last frame (all of them after a resize), then refreshes once.
    public func draw(_ buffer: Buffer) {
        let (width, height) = size
        let full = needsFullRedraw || previous?.width != buffer.width || previous?.height != buffer.height
        if full {
            werase(cn_stdscr())
            clearok(cn_stdscr(), true)
        }
        let rows = min(height, buffer.height), columns = min(width, buffer.width)
        for y in 0..<rows {
            var x = 0
            while x < columns {
                let cell = buffer[x, y]
                if cell.isContinuation { x += 1; continue }
                if !full, let previous, previous[x, y] == cell,
                   x + 1 >= columns || previous[x + 1, y].isContinuation == buffer[x + 1, y].isContinuation {
                    x += 1; continue
                }
                x += write(cell, x: x, y: y, columnsLeft: columns - x)
            }
        }
        wrefresh(cn_stdscr())
        previous = buffer
        needsFullRedraw = false
    }

    /// Draws one cell's glyph; returns how many columns it took.
    ///
    /// The core's width rule and the terminal's `wcwidth` disagree on a few graphemes (VS16 emoji, flags, ZWJ
    /// sequences). Where they do, the glyph is reduced to its base character and padded with spaces so the grid
    /// stays where the core put it: a simpler glyph is better than every later cell on the row shifting.
    private func write(_ cell: Cell, x: Int, y: Int, columnsLeft: Int) -> Int {
        let attributes = palette.attributes(for: cell.style)
        let coreWidth = max(1, DisplayWidth.of(Character(cell.text)))
        let scalars = Array(cell.text.unicodeScalars)
        let base = scalars.first.map { wchar_t(bitPattern: $0.value) } ?? 32
        var baseWidth = Int(cn_wcwidth(base))
        let marksAreZeroWidth = scalars.dropFirst().allSatisfy { cn_wcwidth(wchar_t(bitPattern: $0.value)) == 0 }
        var glyph: [wchar_t]
        let widths = scalars.map { Int(cn_wcwidth(wchar_t(bitPattern: $0.value))) }
        if scalars.count > 1, !marksAreZeroWidth, !widths.contains(where: { $0 < 0 }),
           widths.reduce(0, +) == coreWidth, coreWidth <= columnsLeft {
            // Spacing marks (Indic vowel signs): the terminal advances by each scalar's width, which adds up.
            var run = scalars.map { wchar_t(bitPattern: $0.value) }
            _ = cn_mvadd_wstr(Int32(y), Int32(x), &run, Int32(run.count), attributes.attrs, attributes.pair)
            return coreWidth
        }
        if baseWidth == coreWidth && marksAreZeroWidth && scalars.count < Int(cn_ccharw_max()) {
            glyph = scalars.map { wchar_t(bitPattern: $0.value) }
        } else if baseWidth >= 1 && baseWidth <= coreWidth {
            glyph = [base]
        } else {
            glyph = [wchar_t(63)]   // "?": the terminal would draw this glyph wider than the core laid it out
            baseWidth = 1
        }
        if coreWidth > columnsLeft { glyph = [32]; baseWidth = 1 }
        glyph.append(0)
        _ = cn_mvadd_grapheme(Int32(y), Int32(x), glyph, attributes.attrs, attributes.pair)
        var drawn = baseWidth
        while drawn < min(coreWidth, columnsLeft) {
            _ = cn_mvadd_grapheme(Int32(y), Int32(x + drawn), [32, 0], attributes.attrs, attributes.pair)
            drawn += 1
        }
        return drawn
    }
}

/// A self-pipe that lets any thread end the UI thread's wait for input early.
public final class TerminalWaker: Waker {
    let readDescriptor: Int32
    let writeDescriptor: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError.notATerminal }
        readDescriptor = fds[0]
        writeDescriptor = fds[1]
        _ = fcntl(readDescriptor, F_SETFL, fcntl(readDescriptor, F_GETFL) | O_NONBLOCK)
        _ = fcntl(writeDescriptor, F_SETFL, fcntl(writeDescriptor, F_GETFL) | O_NONBLOCK)
    }

    /// Safe from any thread and from a signal handler; a full pipe already means "wake up", so a failed write is fine.
    public func wake() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    func drain() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(readDescriptor, &bytes, 64) > 0 {}
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }
}

/// Chains a handler in front of ncurses' SIGWINCH handler that also writes to the waker's pipe.
///
/// The kernel delivers SIGWINCH to any thread that does not block it (libcurl's workers, the cooperative pool), so
/// the UI thread's `poll` was often not interrupted and a resize waited for the next timeout (0.6–1.1 s under tmux).
/// The handler calls ncurses' handler (which sets the flag `wget_wch` reports as KEY_RESIZE), then writes one byte
/// to the pipe (`write` is async-signal-safe), so the UI thread wakes at once.
enum ResizeSignal {
    nonisolated(unsafe) private static var previous = sigaction()
    nonisolated(unsafe) private static var descriptor: Int32 = -1

    static func install(waking waker: TerminalWaker) {
        descriptor = waker.writeDescriptor
        TerminalRestorer.installHandler(resizeHandler, for: SIGWINCH, flags: Int32(truncatingIfNeeded: SA_RESTART),
                                        previous: &previous)
    }

    fileprivate static func forward(_ signalNumber: Int32) {
        #if canImport(Glibc)
        let handler = previous.__sigaction_handler.sa_handler
        #else
        let handler = previous.__sigaction_u.__sa_handler
        #endif
        if let handler, unsafeBitCast(handler, to: Int.self) > 1 { handler(signalNumber) }   // not SIG_DFL / SIG_IGN
        if descriptor >= 0 {
            var byte: UInt8 = 1
            _ = write(descriptor, &byte, 1)
        }
    }
}

private func resizeHandler(_ signalNumber: Int32) {
    ResizeSignal.forward(signalNumber)
}

/// Writes bytes to file descriptor 1 as they are (outside ncurses' own output).
private func writeToStandardOutput(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
}
