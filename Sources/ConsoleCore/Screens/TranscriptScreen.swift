/// A session's messages as a transcript, scrolled by line and paged by message (`.after`/`.before`/`.last`).
///
/// `lineOffset` is the first line shown; when pages are added or trimmed around it, the message at the top of the
/// view (and the line inside it) stays where it was. `/` filters the messages; `a` opens the session's agent logs.
public struct TranscriptScreen: ScreenComponent, Opening {
    public var session: SessionRow
    public var list: PagedList<MessageRow>
    public var lineOffset = 0
    /// After `.last` loads, scroll to the bottom.
    public var wantsBottom = false
    /// The loaded messages laid out at `layoutWidth`, kept with the state so a key costs a scroll, not a re-wrap of
    /// every message in the window (wrapping is most of a frame on long messages).
    public private(set) var layout: [TextLine] = []
    public private(set) var layoutWidth = 0

    public init(session: SessionRow) {
        self.session = session
        list = PagedList(id: .messages(sessionID: session.id))
    }

    public var title: String { "Session #\(session.id) \(session.title ?? "")" }
    public var bindings: [KeyBinding] { Bindings.transcript }
    public func viewport(_ context: ScreenContext) -> Int { context.bodyHeight }

    public mutating func opened(_ context: ScreenContext) -> [Effect] {
        [.loadPage(list.id, list.home(viewport: viewport(context)))]
    }

    func lines(_ width: Int) -> [TextLine] {
        width == layoutWidth ? layout : TranscriptLayout.lines(list.rows, width: width)
    }

    mutating func relayout(_ width: Int) {
        layout = TranscriptLayout.lines(list.rows, width: width)
        layoutWidth = width
    }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        let vp = viewport(context)
        switch action {
        case .agentLogs:
            return context.open(AgentLogsScreen(title: "Agent logs of session #\(session.id)",
                                                list: .agentLogs(.session(session.id))))
        case .refresh:
            lineOffset = 0
            return [.loadPage(list.id, list.home(viewport: vp))]
        case .top:
            // Also when a jump to the end is still pending: the newer wish wins and the old page will be stale.
            wantsBottom = false
            lineOffset = 0
            return list.hasMoreBefore || list.isLoading ? [.loadPage(list.id, list.home(viewport: vp))] : []
        default:
            break
        }
        let maxOffset = max(0, lines(context.width).count - vp)
        if action == .end {
            lineOffset = maxOffset
            guard list.hasMoreAfter else { return [] }
            wantsBottom = true
            return [.loadPage(list.id, list.end(viewport: vp))]
        }
        // Unclamped, so scrolling past either end asks for the neighbouring page.
        guard let step = Motion.step(action, viewport: vp) else { return [] }
        let overshoot = lineOffset + step
        var effects: [Effect] = []
        if overshoot > maxOffset, list.hasMoreAfter, !list.isLoading, let last = list.rows.last {
            effects.append(.loadPage(list.id, list.request(.after(last.id), limit: vp, intent: .lineDown)))
        } else if overshoot < 0, list.hasMoreBefore, !list.isLoading, let first = list.rows.first {
            effects.append(.loadPage(list.id, list.request(.before(first.id), limit: vp, intent: .lineUp)))
        }
        lineOffset = min(max(0, overshoot), maxOffset)
        return effects
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        switch message {
        case .pageLoaded(let id, .messages(let rows), let query, let hasMore) where id == list.id:
            let anchor = topAnchor(context.width)
            guard list.receive(rows, for: query, hasMore: hasMore, viewport: viewport(context)) else { return nil }
            relayout(context.width)
            restore(anchor, context)
            return []
        case .pageFailed(let id, let query, let text) where id == list.id && query == list.pending:
            list.fail(text, for: query)
            return []
        default:
            return nil
        }
    }

    /// The message at the top of the view and how far into it, so a merged page does not move what the reader sees.
    func topAnchor(_ width: Int) -> (Int64, Int)? {
        let lines = lines(width)
        guard lines.indices.contains(lineOffset) else { return nil }
        let id = lines[lineOffset].sourceID
        let start = lines.firstIndex { $0.sourceID == id } ?? lineOffset
        return (id, lineOffset - start)
    }

    mutating func restore(_ anchor: (Int64, Int)?, _ context: ScreenContext) {
        let lines = lines(context.width)
        let maxOffset = max(0, lines.count - viewport(context))
        if wantsBottom { wantsBottom = false; lineOffset = maxOffset; return }
        if let (id, delta) = anchor, let start = lines.firstIndex(where: { $0.sourceID == id }) {
            lineOffset = min(start + delta, maxOffset)
        } else {
            lineOffset = 0
        }
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        if list.rows.isEmpty {
            if list.isLoading { buffer.put("\(Spinner.frame(context.tick)) loading messages…", x: 1, y: area.y, style: .accent) }
            else if let error = list.error {
                buffer.put(TextLayout.truncate("✗ could not load messages: \(error)", toWidth: area.width - 1), x: 1, y: area.y, style: .error)
            }
            else if list.isLoaded {
                buffer.put(list.filter.map { "no messages match “\($0)”" } ?? "no messages in this session", x: 1, y: area.y, style: .dim)
            }
            return
        }
        var scroll = TextScroll()
        scroll.offset = lineOffset
        scroll.render(lines(area.width), area: area, into: &buffer)
    }

    public func footer(_ context: ScreenContext) -> (text: String, style: Style)? {
        if let error = list.error { return ("✗ \(error)  (r retries)", .error) }
        var text = "\(list.rows.count) messages loaded"
        if list.hasMoreBefore { text += " · more above" }
        if list.hasMoreAfter { text += " · more below" }
        if let f = list.filter { text += " · filter “\(f)”" }
        return (text, .dim)
    }

    public var isBusy: Bool { list.isLoading }
    public var awaitsPage: Bool { list.isLoading }
    public var filter: String?? { .some(list.filter) }

    public mutating func applyFilter(_ text: String, _ context: inout ScreenContext) -> [Effect] {
        lineOffset = 0
        return [.loadPage(list.id, list.applyFilter(text, viewport: viewport(context)))]
    }

    /// The app wrote messages. A reader at the end of the session follows it, like `tail -f`: the last page is read
    /// and the view goes to the bottom. Anywhere else the window is read again from its first message and the view
    /// stays on the same line (`topAnchor`).
    public mutating func rowsChanged(_ context: inout ScreenContext) -> [Effect] {
        guard list.isLoaded, !list.isLoading else { return [] }
        let vp = viewport(context)
        if !list.hasMoreAfter, lineOffset >= max(0, lines(context.width).count - vp) {
            wantsBottom = true
            return [.loadPage(list.id, list.end(viewport: vp))]
        }
        return [.loadPage(list.id, list.refresh(viewport: vp))]
    }

    public mutating func resized(_ context: ScreenContext) {
        list.settle(viewport(context))
        relayout(context.width)
        lineOffset = min(lineOffset, max(0, lines(context.width).count - viewport(context)))
    }
}
