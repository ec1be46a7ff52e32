import ConsoleCore

/// What `ConsoleLoop` drives: the pure core's state with its `update` and `render`, seen from the live side.
///
/// The adapter keeps the loop (threads, terminal, effects) independent of how the core names its types, so the
/// loop is the same for the real screens and for the terminal check screen.
protocol ConsoleProgram {
    associatedtype Message: Sendable
    associatedtype Effect: Sendable

    /// Effects to start before the first frame (load the first page, ping Mem0).
    mutating func start(width: Int, height: Int) -> [Effect]
    /// A key, a resize or a wheel turn from the terminal.
    mutating func handle(_ event: TerminalEvent) -> [Effect]
    /// A result that came back from an effect.
    mutating func receive(_ message: Message) -> [Effect]
    /// The message that lets time-driven things (a spinner) advance; nil when nothing animates.
    func tick() -> Message?
    func render(into buffer: inout Buffer)
    /// Whether an effect asks the loop to stop (quit), rather than to be run.
    func isQuit(_ effect: Effect) -> Bool
}

/// Runs one effect off the UI thread and posts what it produced back through `reply`.
protocol ConsoleEffectRunner: Sendable {
    associatedtype Message: Sendable
    associatedtype Effect: Sendable
    func run(_ effect: Effect, reply: @escaping @Sendable (Message) -> Void, done: @escaping @Sendable () -> Void)
}
