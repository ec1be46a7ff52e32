import ConsoleCore

/// A one-screen program that shows what the terminal layer decodes: size, the last keys, wide glyphs.
///
/// `memconsole console --terminal-check` runs it on the console's `RunLoop`; it proves keys, resize, colours and
/// restore without a database.
struct TerminalCheckProgram: LoopProgram, Equatable {
    private(set) var width: Int
    private(set) var height: Int
    var hasQuit = false
    private var lastEvents: [String] = []

    init(width: Int, height: Int) { self.width = width; self.height = height }

    var isBusy: Bool { false }
    var awaitsPage: Bool { false }

    mutating func receive(_ message: Message) -> [Effect] {
        switch message {
        case .resize(let w, let h): width = w; height = h; lastEvents.append("resize \(w)x\(h)")
        case .key(.char("q")), .key(.ctrl("c")): return [.quit]
        case .key(let key): lastEvents.append("key \(key)")
        default: return []
        }
        lastEvents = Array(lastEvents.suffix(10))
        return []
    }

    func render(into buffer: inout Buffer) {
        buffer.fill(x: 0, y: 0, width: buffer.width, height: buffer.height)
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
