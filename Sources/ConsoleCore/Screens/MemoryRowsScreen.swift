/// From a Mem0 memory to the file: the memory, its `memories_metadata` row and the legacy row it came from, each row
/// raw, as SQLite stores it (every column with its storage class: tags and dates exactly as written). `q` goes
/// back to the memory.
public struct MemoryRowsScreen: ScreenComponent, Opening {
    public enum Phase: Equatable, Sendable {
        case loading
        case loaded(metadata: StoredRowView?, legacy: StoredRowView?)
        case failed(String)
    }
    public let memory: Mem0MemoryRow
    public var phase: Phase = .loading
    public var scroll = TextScroll()

    public init(memory: Mem0MemoryRow) { self.memory = memory }

    var ref: MemoryRowsRef { MemoryRowsRef(mem0MemoryID: memory.id, metadataID: memory.metadataID, legacyID: memory.legacyID) }

    public var title: String { "Rows of \(memory.id.prefix(8))…" }
    public var bindings: [KeyBinding] { Bindings.memoryRows }
    public func viewport(_ context: ScreenContext) -> Int { context.bodyHeight }
    public mutating func opened(_ context: ScreenContext) -> [Effect] { [.loadStoredRows(ref)] }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        switch action {
        case .refresh:
            phase = .loading
            return [.loadStoredRows(ref)]
        case .copy:
            return context.copy(memory.id)
        default:
            _ = scroll.perform(action, lines: lines(width: context.width).count, viewport: viewport(context))
            return []
        }
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        switch message {
        case .storedRowsLoaded(let r, let metadata, let legacy) where r == ref:
            phase = .loaded(metadata: metadata, legacy: legacy)
            return []
        case .storedRowsFailed(let r, let text) where r == ref:
            phase = .failed(text)
            return []
        default:
            return nil
        }
    }

    func lines(width: Int) -> [TextLine] {
        let w = max(1, width - 2)
        var out = [TextLine("Mem0 memory \(memory.id)", .bold)]
        // The rows are the point here: the text is cut to three lines (the history shows it whole).
        out += TextLayout.head(memory.text, width: w, lines: 3).map { TextLine($0, .plain) }
        out += TextLayout.wrap("metadata: \(memory.metadata)", width: w).map { TextLine($0, .dim) }
        out.append(TextLine("", .plain))
        func row(_ title: String, _ view: StoredRowView?, missing: String) {
            guard let view else { out.append(TextLine("\(title): \(missing)", .error)); out.append(TextLine("", .plain)); return }
            out.append(TextLine("\(title): \(view.table) #\(view.id), as stored", .bold))
            let nameWidth = min(24, view.columns.map { DisplayWidth.of($0.name) }.max() ?? 4)
            for c in view.columns {
                let head = TextLayout.fit(c.name, width: nameWidth) + "  " + TextLayout.fit(c.storageClass, width: 7) + "  "
                let body = TextLayout.wrap(c.value, width: max(1, w - DisplayWidth.of(head)))
                for (i, part) in body.enumerated() {
                    out.append(TextLine((i == 0 ? head : String(repeating: " ", count: DisplayWidth.of(head))) + part,
                                        c.storageClass == "null" ? .dim : .plain))
                }
            }
            out.append(TextLine("", .plain))
        }
        switch phase {
        case .loading: out.append(TextLine("reading the rows…", .accent))
        case .failed(let text): out.append(TextLine("✗ could not read the rows: \(text)", .error))
        case .loaded(let metadata, let legacy):
            row("metadata row", metadata, missing: memory.metadataID == nil ? "none links this memory (unlinked)" : "#\(memory.metadataID!) is gone")
            row("legacy row", legacy, missing: memory.legacyID == nil ? "none (the app wrote this memory, or the file has no journal)"
                : "#\(memory.legacyID!) is not in the file (the legacy table was dropped)")
        }
        return out
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        scroll.render(lines(width: area.width), area: Rect(x: area.x + 1, y: area.y, width: area.width - 1, height: area.height),
                      into: &buffer)
    }

    public var isBusy: Bool { phase == .loading }
}
