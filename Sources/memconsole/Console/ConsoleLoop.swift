import ConsoleCore
import ConsoleTerminal
import Foundation

/// The console's UI thread: reads terminal events, feeds them and effect results to the core, draws frames.
///
/// Only this thread touches the terminal and the program state. Effects go to the runner, which does database and
/// Mem0 work elsewhere and posts messages into `inbox`; posting wakes the terminal's wait, so a result is drawn at
/// once rather than at the next key. The loop never waits on an effect, so a slow Mem0 can never freeze input.
final class ConsoleLoop<Program: ConsoleProgram, Runner: ConsoleEffectRunner>
where Runner.Message == Program.Message, Runner.Effect == Program.Effect {
    private var program: Program
    private let runner: Runner
    private let terminal: NcursesTerminal
    private let inbox = Inbox<Program.Message>()
    private let trace: FrameTrace
    private var isRunning = true
    /// How often the spinner advances while something is loading.
    private let tickMilliseconds = 120

    init(program: Program, runner: Runner, terminal: NcursesTerminal, trace: FrameTrace) {
        self.program = program
        self.runner = runner
        self.terminal = terminal
        self.trace = trace
    }

    /// Runs until the program asks to quit; restores the terminal before returning.
    func run() {
        defer { terminal.restore() }
        trace.record("start \(FrameTrace.now())")
        var size = terminal.size
        perform(program.start(width: size.width, height: size.height))
        drawFrame()
        while isRunning {
            let wait = inbox.busyCount > 0 || program.tick() != nil ? tickMilliseconds : 1_000
            if let event = terminal.nextEvent(timeoutMilliseconds: wait) {
                if case .key(let key) = event { trace.record("key \(FrameTrace.now()) \(key)") }
                if case .resize = event { size = terminal.size; trace.record("key \(FrameTrace.now()) resize") }
                perform(program.handle(event))
            } else if let tick = program.tick() {
                perform(program.receive(tick))
            }
            for message in inbox.takeAll() { perform(program.receive(message)) }
            if isRunning { drawFrame() }
        }
    }

    private func drawFrame() {
        let size = terminal.size
        var buffer = Buffer(width: size.width, height: size.height)
        program.render(into: &buffer)
        terminal.draw(buffer)
        trace.record("frame \(FrameTrace.now()) \(inbox.busyCount)")
    }

    private func perform(_ effects: [Program.Effect]) {
        for effect in effects {
            if program.isQuit(effect) { isRunning = false; continue }
            inbox.began()
            let inbox = self.inbox, waker = terminal.waker
            runner.run(effect, reply: { message in
                inbox.post(message)
                waker.wake()
            }, done: {
                inbox.ended()
                waker.wake()
            })
        }
    }
}

/// Messages posted from effect threads to the UI thread, plus how many effects are still running.
final class Inbox<Message: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [Message] = []
    private var running = 0

    func post(_ message: Message) { lock.withLock { messages.append(message) } }
    func began() { lock.withLock { running += 1 } }
    func ended() { lock.withLock { running -= 1 } }
    var busyCount: Int { lock.withLock { running } }

    func takeAll() -> [Message] {
        lock.withLock {
            let taken = messages
            messages.removeAll(keepingCapacity: true)
            return taken
        }
    }
}
