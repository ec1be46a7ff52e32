import ConsoleCore

/// ConsoleCore's `AppState`, `update` and `render`, driven by `ConsoleLoop`.
struct CoreProgram: ConsoleProgram {
    typealias Message = ConsoleCore.Message
    typealias Effect = ConsoleCore.Effect

    private(set) var state: AppState
    private let status: StatusInfo

    init(status: StatusInfo) {
        self.status = status
        state = AppState(width: 80, height: 24, status: status)
    }

    mutating func start(width: Int, height: Int) -> [Effect] {
        let (launched, effects) = Console.launch(width: width, height: height, status: status)
        state = launched
        return effects
    }

    mutating func handle(_ event: TerminalEvent) -> [Effect] { update(&state, Message(event)) }
    mutating func receive(_ message: Message) -> [Effect] { update(&state, message) }
    func tick() -> Message? { state.isBusy ? .tick : nil }
    func render(into buffer: inout Buffer) { ConsoleCore.render(state, into: &buffer) }
    func isQuit(_ effect: Effect) -> Bool { effect == .quit }
}
