import Mem0Client

/// A Mem0 memory's history (Platform `GET /v1/memories/{id}/history/`, OSS `GET /memories/{id}/history`): the
/// memory, then each event oldest first with its time, its kind and the old and new text. `o` goes to the memory's
/// metadata row and legacy row; `y` copies the id.
public struct Mem0HistoryScreen: ScreenComponent, Opening {
    public enum Phase: Equatable, Sendable { case loading, loaded([Mem0HistoryEvent]), failed(String) }
    public let memory: Mem0MemoryRow
    public var phase: Phase = .loading
    public var scroll = TextScroll()

    public init(memory: Mem0MemoryRow) { self.memory = memory }

    public var title: String { "History \(memory.id.prefix(8))…" }
    public var bindings: [KeyBinding] { Bindings.mem0History }
    public func viewport(_ context: ScreenContext) -> Int { context.bodyHeight }
    public mutating func opened(_ context: ScreenContext) -> [Effect] { [.loadMem0History(memoryID: memory.id)] }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        switch action {
        case .refresh:
            phase = .loading
            return [.loadMem0History(memoryID: memory.id)]
        case .openRows:
            return context.open(MemoryRowsScreen(memory: memory))
        case .copy:
            return context.copy(memory.id)
        default:
            _ = scroll.perform(action, lines: lines(width: context.width).count, viewport: viewport(context))
            return []
        }
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        switch message {
        case .mem0HistoryLoaded(let id, let events) where id == memory.id:
            phase = .loaded(events)
            return []
        case .mem0HistoryFailed(let id, let text) where id == memory.id:
            phase = .failed(text)
            return []
        default:
            return nil
        }
    }

    /// The memory's head, then the events, wrapped to `width`.
    func lines(width: Int) -> [TextLine] {
        let w = max(1, width - 2)
        func wrapped(_ text: String, _ style: Style, indent: String = "") -> [TextLine] {
            TextLayout.wrap(text, width: max(1, w - indent.count)).map { TextLine(indent + $0, style) }
        }
        var out = [TextLine("Mem0 \(memory.id)", .bold)]
        // The events are the point here: the text as it is now is cut to three lines (the last event has it whole).
        out += TextLayout.head(memory.text, width: w, lines: 3).map { TextLine($0, .plain) }
        out += wrapped("metadata row \(memory.metadataID.map { "#\($0)" } ?? "✗ none") · legacy row \(memory.legacyID.map { "#\($0)" } ?? "—") · created \(DateText.full(memory.createdAt)) · updated \(DateText.full(memory.updatedAt))",
                       memory.metadataID == nil ? .error : .dim)
        out.append(TextLine("", .plain))
        switch phase {
        case .loading: out.append(TextLine("asking Mem0 for the history…", .accent))
        case .failed(let text): out += wrapped("✗ could not read the history: \(text)", .error)
        case .loaded(let events):
            if events.isEmpty { out.append(TextLine("no history: Mem0 has no events for this memory", .dim)) }
            for event in events {
                out.append(TextLine("\(event.createdAtText ?? event.updatedAtText ?? "—")  \(event.eventName)",
                                    event.kind == .delete ? .error : event.kind == .add ? .ok : .warning))
                if let old = event.oldText { out += wrapped("old: " + old, .removed, indent: "  ") }
                if let new = event.newText { out += wrapped("new: " + new, .added, indent: "  ") }
            }
        }
        return out
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        scroll.render(lines(width: area.width), area: Rect(x: area.x + 1, y: area.y, width: area.width - 1, height: area.height),
                      into: &buffer)
    }

    public var isBusy: Bool { phase == .loading }
}
