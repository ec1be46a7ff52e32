import ConsoleCore

/// A one-screen program that shows what the terminal layer decodes: size, the last keys, wide glyphs.
///
/// `memconsole console --terminal-check` runs it; it proves keys, resize, colours and restore without a database.
struct TerminalCheckProgram: ConsoleProgram {
    enum Effect: Sendable { case quit }
    typealias Message = Never

    private var width = 0, height = 0
    private var lastEvents: [String] = []

    mutating func start(width: Int, height: Int) -> [Effect] {
        self.width = width; self.height = height
        return []
    }

    mutating func handle(_ event: TerminalEvent) -> [Effect] {
        switch event {
        case .resize(let w, let h): width = w; height = h; lastEvents.append("resize \(w)x\(h)")
        case .wheel(let up): lastEvents.append(up ? "wheel up" : "wheel down")
        case .key(.char("q")): return [.quit]
        case .key(let key): lastEvents.append("key \(key)")
        }
        lastEvents = Array(lastEvents.suffix(10))
        return []
    }

    mutating func receive(_ message: Never) -> [Effect] {}
    func tick() -> Never? { nil }
    func isQuit(_ effect: Effect) -> Bool { true }

    func render(into buffer: inout Buffer) {
        buffer.fill(x: 0, y: 0, width: buffer.width, height: 1, style: .header)
        buffer.put(" memconsole terminal check  \(buffer.width)x\(buffer.height)", x: 0, y: 0, style: .header)
        buffer.put("Wide glyphs: 山田太郎 | 🙂 | ❤️ | é", x: 1, y: 2)
        let styles: [Style] = [.plain, .dim, .bold, .selected, .hint, .added, .removed, .changed, .ok, .warning, .error, .accent]
        var x = 1
        for style in styles { x = buffer.put("\(style)", x: x, y: 3, style: style) + 1 }
        for (index, line) in lastEvents.enumerated() { buffer.put(line, x: 1, y: 5 + index) }
        buffer.put("q quits", x: 1, y: buffer.height - 1, style: .hint)
    }
}

/// The runner for programs without effects.
struct NoEffects<Message: Sendable, Effect: Sendable>: ConsoleEffectRunner {
    func run(_ effect: Effect, reply: @escaping @Sendable (Message) -> Void, done: @escaping @Sendable () -> Void) { done() }
}
