import Foundation

/// Where effect results come back: any thread may `send`; the run loop drains it between events.
public final class MessageInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [Message] = []
    public init() {}

    public func send(_ message: Message) {
        lock.lock(); queue.append(message); lock.unlock()
    }

    func drain() -> [Message] {
        lock.lock(); defer { lock.unlock() }
        let out = queue; queue.removeAll(keepingCapacity: true)
        return out
    }
}

/// Runs one effect. It must not block for long: slow work (Mem0, the migration) goes to another thread and answers
/// through the inbox later. Fast work (a keyset page from SQLite) may answer before returning: the loop drains the
/// inbox before drawing, so such a result is on screen in the same frame as the key that asked for it.
public typealias EffectHandler = @Sendable (Effect, MessageInbox) -> Void

/// The console's loop: terminal events and effect results in, `update`, effects out, `render`, draw.
///
/// Generic over `Terminal` so tests drive it with `TestTerminal` and the product with ncurses. It draws only when the
/// state changed, and sends `.tick` whenever no input arrived within `tickMilliseconds` (the spinner's clock).
public struct RunLoop<T: Terminal> {
    public let terminal: T
    public let handler: EffectHandler
    public let inbox = MessageInbox()
    public var tickMilliseconds: Int

    public init(terminal: T, tickMilliseconds: Int = 80, handler: @escaping EffectHandler) {
        self.terminal = terminal; self.handler = handler; self.tickMilliseconds = tickMilliseconds
    }

    /// Runs until an effect says `.quit`; restores the terminal and returns the final state.
    @discardableResult
    public func run(status: StatusInfo) -> AppState {
        let size = terminal.size
        var (state, effects) = Console.launch(width: size.width, height: size.height, status: status)
        var drawn: AppState? = nil
        var buffer = Buffer(width: size.width, height: size.height)
        defer { terminal.restore() }
        perform(effects, &state)
        while !state.hasQuit {
            settle(&state)
            if state.hasQuit { break }
            if drawn != state {
                if buffer.width != state.width || buffer.height != state.height { buffer = Buffer(width: state.width, height: state.height) }
                render(state, into: &buffer)
                terminal.draw(buffer)
                drawn = state
            }
            if let event = terminal.nextEvent(timeoutMilliseconds: tickMilliseconds) {
                effects = update(&state, Message(event))
            } else {
                effects = update(&state, .tick)
            }
            perform(effects, &state)
        }
        return state
    }

    private func perform(_ effects: [Effect], _ state: inout AppState) {
        for effect in effects {
            if effect == .quit { state.hasQuit = true; continue }
            handler(effect, inbox)
        }
    }

    /// Applies every message that has arrived, including those the effects of these messages answer at once.
    private func settle(_ state: inout AppState) {
        var rounds = 0
        while rounds < 64 {
            let messages = inbox.drain()
            if messages.isEmpty { return }
            for message in messages { perform(update(&state, message), &state) }
            rounds += 1
        }
    }
}

/// An in-memory terminal for tests: scripted events in, every drawn frame kept.
///
/// `nil` in the script is a timeout (the loop sends `.tick`). When the script runs out it sends Ctrl-C, so a loop
/// under test always ends.
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

    public var lastFrame: Buffer? { frames.last }
}
