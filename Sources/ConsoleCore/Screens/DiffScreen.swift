import Migration

/// A legacy row beside its live Mem0 record, field by field (`MemoryComparison`). While the record loads a spinner
/// shows; if Mem0 cannot be asked, the error and the legacy side alone, and `r` asks again.
public struct DiffScreen: ScreenComponent, Opening {
    public enum Phase: Equatable, Sendable {
        case loading
        case loaded(DiffModel)
        /// Mem0 could not be asked (down, slow, unauthorized): the legacy side alone, and what to do.
        case failed(message: String, legacy: LegacyMemoryValues?)
    }
    public var ref: MemoryRef
    public var phase: Phase = .loading
    public var scroll = TextScroll()

    public init(ref: MemoryRef) { self.ref = ref }

    public var offset: Int { scroll.offset }
    public var title: String { "Diff memory #\(ref.legacyID)" }
    public var bindings: [KeyBinding] { Bindings.diff }
    public func viewport(_ context: ScreenContext) -> Int { max(1, context.bodyHeight - 1) }
    public mutating func opened(_ context: ScreenContext) -> [Effect] { [.fetchMem0Record(ref)] }

    func lineCount(_ width: Int) -> Int {
        if case .loaded(let model) = phase { return DiffView.rows(model, width: width).count }
        return 0
    }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if action == .refresh {
            phase = .loading
            return [.fetchMem0Record(ref)]
        }
        _ = scroll.perform(action, lines: lineCount(context.width), viewport: viewport(context))
        return []
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        switch message {
        case .mem0RecordLoaded(let r, let legacy, let record) where r == ref && phase == .loading:
            phase = .loaded(DiffModel(comparison: MemoryComparison(legacy: legacy, record: record), legacySource: legacy.source.name))
            return []
        case .mem0RecordFailed(let r, let legacy, let text) where r == ref && phase == .loading:
            phase = .failed(message: text, legacy: legacy)
            return []
        default:
            return nil
        }
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        switch phase {
        case .loading:
            buffer.put("\(Spinner.frame(context.tick)) fetching the Mem0 record of legacy memory #\(ref.legacyID)…", x: 1, y: area.y, style: .accent)
        case .loaded(let model):
            DiffView.render(model, offset: scroll.offset, into: &buffer, area: area)
        case .failed(let message, let legacy):
            buffer.fill(x: area.x, y: area.y, width: area.width, height: 2, style: .error)
            buffer.put(" ✗ Mem0 could not be asked — the comparison is unknown (r retries)", x: area.x, y: area.y, style: .error, limit: area.width)
            buffer.put(" " + TextLayout.truncate(message, toWidth: area.width - 2), x: area.x, y: area.y + 1, style: .error)
            guard let legacy else { return }
            let comparison = MemoryComparison(legacy: legacy, record: nil)
            var y = area.y + 3
            buffer.put("legacy #\(legacy.id) (\(legacy.source.name))", x: area.x, y: y, style: .header); y += 1
            for line in comparison.lines where y < area.maxY {
                buffer.put(TextLayout.fit(line.field.rawValue, width: DiffView.labelWidth - 1), x: area.x, y: y, style: .bold)
                for piece in TextLayout.wrap(line.legacyValue, width: area.width - DiffView.labelWidth) where y < area.maxY {
                    buffer.put(piece, x: area.x + DiffView.labelWidth, y: y); y += 1
                }
            }
        }
    }

    public func footer(_ context: ScreenContext) -> (text: String, style: Style)? {
        guard case .loaded(let model) = phase else { return nil }
        let n = model.differingFields
        if !model.hasRecord { return ("✗ Mem0 has no record for legacy memory #\(ref.legacyID)", .error) }
        return n == 0 ? ("✓ every field matches", .ok) : ("✗ \(n) field\(n == 1 ? "" : "s") differ", .changed)
    }

    public var isBusy: Bool { phase == .loading }
    public mutating func resized(_ context: ScreenContext) { scroll.clamp(lines: lineCount(context.width), viewport: viewport(context)) }
}
