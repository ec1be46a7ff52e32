import Foundation

/// Ends a run loop's wait for input early, from any thread: the terminal's self-pipe in the product, nothing in tests.
public protocol Waker: Sendable {
    func wake()
}

/// A waker for terminals that never block (`TestTerminal`).
public struct NoWaker: Waker {
    public init() {}
    public func wake() {}
}

/// Where effect results come back: any thread may `send`; the run loop drains it before it reads the next key.
///
/// A send wakes the loop's wait for input, so a result that arrives while the console is idle is drawn at once.
public final class MessageInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [Message] = []
    private let waker: any Waker

    public init(waker: any Waker = NoWaker()) { self.waker = waker }

    public func send(_ message: Message) {
        lock.withLock { queue.append(message) }
        waker.wake()
    }

    func drain() -> [Message] {
        lock.withLock {
            let out = queue
            queue.removeAll(keepingCapacity: true)
            return out
        }
    }
}

/// Runs one effect. It must not block for long: slow work (Mem0, the migration) goes to another thread and answers
/// through the inbox later. Fast work (a keyset page from SQLite, under a millisecond) answers before returning: the
/// loop applies that answer before the next key, so the key after a navigation acts on the page it navigated to.
public typealias EffectHandler = @Sendable (Effect, MessageInbox) -> Void

/// What the run loop drives: the console's `AppState`, or a one-screen program such as the terminal check.
public protocol LoopProgram {
    /// Applies one message; the only writer of the program's state.
    mutating func receive(_ message: Message) -> [Effect]
    func render(into buffer: inout Buffer)
    /// Something animates (a spinner): the loop sends `.tick` every `tickMilliseconds` while this holds, and only then.
    var isBusy: Bool { get }
    /// The list on show is waiting for a page it asked for: keys wait (in order) until it arrives, so no key acts on
    /// a list that is about to change.
    var awaitsPage: Bool { get }
    var hasQuit: Bool { get set }
    var width: Int { get }
    var height: Int { get }
}

/// Told what the loop does, for the frame trace (`MEMCONSOLE_TRACE_FRAMES`, read by `scripts/bench-console.sh`).
public protocol RunLoopObserver {
    func eventRead(_ event: TerminalEvent)
    func frameDrawn(pendingEvents: Int)
}

/// The console's one loop, used by the product (ncurses) and by the tests (`TestTerminal`): terminal events and effect
/// results in, `receive`, effects out, `render`, draw.
///
/// - Keys apply in order, each against the state the previous one left, and after every answer already in the inbox
///   (an inline page answer is therefore applied before the next key).
/// - While the list on show awaits its page, later keys wait in the queue; Ctrl-C never waits.
/// - Every key already typed is applied before a frame is drawn, so a burst of 500 `j` draws once, not 500 times.
/// - A frame is drawn only when the state changed; an idle console does not wake up at all (no tick unless busy).
/// - Output is written once per frame (`Terminal.draw` writes the changed cells, then refreshes once).
public struct RunLoop<T: Terminal> {
    public let terminal: T
    public let handler: EffectHandler
    public let inbox: MessageInbox
    public var tickMilliseconds: Int
    public var observer: (any RunLoopObserver)?

    public init(terminal: T, waker: any Waker = NoWaker(), tickMilliseconds: Int = 80,
                observer: (any RunLoopObserver)? = nil, handler: @escaping EffectHandler) {
        self.terminal = terminal; self.handler = handler; self.tickMilliseconds = tickMilliseconds
        self.observer = observer
        inbox = MessageInbox(waker: waker)
    }

    /// Runs the console until an effect says `.quit`; restores the terminal and returns the final state.
    @discardableResult
    public func run(status: StatusInfo) -> AppState {
        let size = terminal.size
        let (state, effects) = Console.launch(width: size.width, height: size.height, status: status)
        return run(state, launchEffects: effects)
    }

    /// Runs any program until it has quit; restores the terminal and returns the program's final state.
    @discardableResult
    public func run<P: LoopProgram & Equatable>(_ start: P, launchEffects: [Effect] = []) -> P {
        var program = start
        var drawn: P? = nil
        var buffer = Buffer(width: program.width, height: program.height)
        var queued: [TerminalEvent] = []
        defer { terminal.restore() }
        perform(launchEffects, &program)
        while !program.hasQuit {
            settle(&program)
            applyQueued(&queued, &program)
            if program.hasQuit { break }
            if drawn != program {
                if buffer.width != program.width || buffer.height != program.height {
                    buffer = Buffer(width: program.width, height: program.height)
                }
                program.render(into: &buffer)
                terminal.draw(buffer)
                drawn = program
                observer?.frameDrawn(pendingEvents: queued.count)
            }
            // Wait for input: forever when idle (a result wakes the wait through the inbox's waker), a tick while a
            // spinner turns or keys wait for a page.
            let animates = program.isBusy
            let timeout = animates || !queued.isEmpty ? tickMilliseconds : -1
            if let event = terminal.nextEvent(timeoutMilliseconds: timeout) {
                queued.append(event)
                observer?.eventRead(event)
                // Everything already typed joins the queue before the next frame.
                while queued.count < 4_096, !Self.isInterrupt(queued.last), let more = terminal.nextEvent(timeoutMilliseconds: 0) {
                    queued.append(more)
                    observer?.eventRead(more)
                }
            } else if animates {
                perform(program.receive(.tick), &program)
            }
        }
        return program
    }

    static func isInterrupt(_ event: TerminalEvent?) -> Bool { event == .key(.ctrl("c")) }

    /// Applies the queued events in order, each followed by the answers it produced inline; stops while the list on
    /// show awaits its page (except for Ctrl-C, which always goes through).
    private func applyQueued<P: LoopProgram>(_ queued: inout [TerminalEvent], _ program: inout P) {
        while !queued.isEmpty, !program.hasQuit {
            if program.awaitsPage {
                guard let interrupt = queued.firstIndex(where: { Self.isInterrupt($0) }) else { return }
                queued.removeSubrange(..<interrupt)
            }
            let event = queued.removeFirst()
            perform(program.receive(Message(event)), &program)
            settle(&program)
        }
    }

    private func perform<P: LoopProgram>(_ effects: [Effect], _ program: inout P) {
        for effect in effects {
            if effect == .quit { program.hasQuit = true; continue }
            if case .copyToClipboard(let text) = effect { terminal.copyToClipboard(text); continue }
            handler(effect, inbox)
        }
    }

    /// Applies every message that has arrived, including those the effects of these messages answer at once.
    private func settle<P: LoopProgram>(_ program: inout P) {
        var rounds = 0
        while rounds < 64 {
            let messages = inbox.drain()
            if messages.isEmpty { return }
            for message in messages { perform(program.receive(message), &program) }
            rounds += 1
        }
    }
}

extension AppState: LoopProgram {
    public mutating func receive(_ message: Message) -> [Effect] { update(&self, message) }
    public func render(into buffer: inout Buffer) { ConsoleCore.render(self, into: &buffer) }
}

/// An in-memory terminal for tests: scripted events in, every drawn frame kept.
///
/// `nil` in the script is a pause with no input: it ends a burst (the loop draws) and, while something is busy, is a
/// timeout (the loop sends `.tick`). When the script runs out it sends Ctrl-C, so a loop under test always ends.
public final class TestTerminal: Terminal {
    public var size: (width: Int, height: Int)
    public private(set) var frames: [Buffer] = []
    public private(set) var restored = false
    private var script: [TerminalEvent?]

    public init(width: Int, height: Int, script: [TerminalEvent?]) {
        size = (width, height); self.script = script
    }

    public func draw(_ buffer: Buffer) { frames.append(buffer) }

    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        guard !script.isEmpty else { return .key(.ctrl("c")) }
        let event = script.removeFirst()
        if case .resize(let w, let h)? = event { size = (w, h) }
        return event
    }

    public func restore() { restored = true }

    /// Every text the console put on the clipboard, in order.
    public private(set) var clipboard: [String] = []
    public func copyToClipboard(_ text: String) { clipboard.append(text) }

    public var lastFrame: Buffer? { frames.last }
}
