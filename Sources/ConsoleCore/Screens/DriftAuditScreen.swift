import Migration

/// Does every metadata row still have its Mem0 memory, and does every Mem0 memory have its row? Runs `DriftAudit`
/// (its progress while Mem0 is read), then shows the two equations like verification, the findings as a list, and
/// the selected finding's details with its full Mem0 id. Space selects findings, 1/2/3 select every finding of a
/// kind, `R` reviews the repair of the selection (`RepairPlan`, every change listed) in a confirm dialog whose focus
/// starts on Cancel; `y` there applies it through `DriftRepair`, and the run id and its undo command stay on screen
/// while the audit runs again.
public struct DriftAuditScreen: ScreenComponent, Opening {
    public enum Phase: Equatable, Sendable {
        case running(DriftAuditProgress?)
        case loaded(DriftAuditResult)
        case failed(String)
    }
    public var phase: Phase = .running(nil)
    public var findings = ListCursor()
    /// Indices into the result's findings chosen for repair.
    public var selection: Set<Int> = []
    /// The repair being reviewed (the confirm dialog is open while this is set).
    public var review: RepairReview?
    /// The last repair applied from this screen (its undo command stays visible).
    public var lastRun: RepairRun?
    public var isRepairing = false

    public init() {}

    /// Rows the header takes: two equations of two lines each, the verdict line and the note line.
    static let headerRows = 6
    /// Rows under the table for the selected finding.
    static let detailRows = 3

    public var title: String { "Drift audit" }
    public var bindings: [KeyBinding] { review == nil ? Bindings.driftAudit : Bindings.repairReview }
    public mutating func opened(_ context: ScreenContext) -> [Effect] { [.runDriftAudit] }

    public func viewport(_ context: ScreenContext) -> Int {
        max(1, context.bodyHeight - Self.headerRows - Self.detailRows - 1 - (lastRun == nil ? 0 : 1))
    }

    var result: DriftAuditResult? {
        if case .loaded(let result) = phase { return result }
        return nil
    }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if review != nil { return performInReview(action, &context) }
        if action == .refresh {
            guard !isRepairing else { return [] }
            phase = .running(nil); selection = []
            return [.runDriftAudit]
        }
        guard let result else { return [] }
        switch action {
        case .toggle:
            guard result.findings.indices.contains(findings.cursor) else { return [] }
            if selection.contains(findings.cursor) { selection.remove(findings.cursor) } else { selection.insert(findings.cursor) }
            _ = findings.perform(.moveDown, count: result.findings.count, viewport: viewport(context))
        case .selectKind(let kind):
            let ofKind = Set(result.findings.indices.filter { result.findings[$0].kind == kind })
            selection = ofKind.isSubset(of: selection) ? selection.subtracting(ofKind) : selection.union(ofKind)
        case .repair:
            guard !isRepairing else { context.notice = .init("A repair is running.", isError: true); return [] }
            let chosen = selection.isEmpty ? (result.findings.indices.contains(findings.cursor) ? [findings.cursor] : [])
                : selection.sorted()
            guard !chosen.isEmpty else { context.notice = .init("No findings: nothing to repair.", isError: false); return [] }
            review = RepairReview(audit: result, chosen: chosen)
        case .copy:
            guard result.findings.indices.contains(findings.cursor) else { return [] }
            let id = result.findings[findings.cursor].mem0MemoryID
            return context.copy(id)
        default:
            _ = findings.perform(action, count: result.findings.count, viewport: viewport(context))
        }
        return []
    }

    private mutating func performInReview(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        guard var r = review else { return [] }
        switch action {
        case .toggle: r.focus = 1 - r.focus
        case .changeDirection: r.direction = r.direction == .toMetadata ? .toMem0 : .toMetadata
        case .toggleMem0Deletion: r.deletesUnlinkedMemories.toggle()
        case .confirm where r.focus == 0:
            review = nil
            return []
        case .confirm, .next:
            guard let plan = r.plan else {
                context.notice = .init(r.refusal ?? "Nothing to repair.", isError: true)
                return []
            }
            guard !plan.actions.isEmpty else {
                context.notice = .init("Nothing to repair: every chosen finding is left alone.", isError: true)
                return []
            }
            review = nil
            isRepairing = true
            selection = []
            return [.applyRepair(plan)]
        default:
            _ = r.scroll.perform(action, lines: r.lines(width: context.width).count, viewport: RepairReview.listRows(context))
        }
        review = r
        return []
    }

    public mutating func back(_ context: inout ScreenContext) -> Bool {
        guard review != nil else { return false }
        review = nil
        return true
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        switch message {
        case .driftAudit(.progress(let progress)):
            phase = .running(progress)
            return []
        case .driftAudit(.finished(let result)):
            phase = .loaded(result)
            selection = selection.filter { result.findings.indices.contains($0) }
            findings.settle(count: result.findings.count, viewport: viewport(context))
            return []
        case .driftAudit(.failed(let failure)):
            phase = .failed(failure.operatorMessage)
            return []
        case .repairApplied(let run):
            isRepairing = false
            lastRun = run
            phase = .running(nil)
            return [.runDriftAudit]
        case .repairFailed(let text):
            isRepairing = false
            context.notice = .init("✗ repair stopped: \(text)", isError: true)
            phase = .running(nil)
            return [.runDriftAudit]
        default:
            return nil
        }
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        DriftAuditRender.render(self, context, area, &buffer)
    }

    public func footer(_ context: ScreenContext) -> (text: String, style: Style)? {
        guard let result, !result.findings.isEmpty, review == nil else { return nil }
        var text = "finding \(findings.cursor + 1) of \(Format.count(result.findings.count))"
        if !selection.isEmpty { text += " · \(selection.count) selected" }
        return (text, .dim)
    }

    public var isBusy: Bool {
        if case .running = phase { return true }
        return isRepairing
    }

    public mutating func resized(_ context: ScreenContext) {
        if let result { findings.settle(count: result.findings.count, viewport: viewport(context)) }
    }
}

/// The repair of the chosen findings as the operator reviews it: every change `RepairPlan` would make, what it
/// leaves alone, the direction for disagreeing rows (none until chosen: there is no default, as in `repair`) and
/// whether unlinked memories are deleted in Mem0 instead of adopted (off unless switched on here).
public struct RepairReview: Equatable, Sendable {
    public var audit: DriftAuditResult
    public var direction: RepairDirection?
    public var deletesUnlinkedMemories = false
    /// 0 Cancel, 1 Repair: the focus starts on Cancel.
    public var focus = 0
    public var scroll = TextScroll()

    /// `audit` reduced to the chosen findings, so the plan covers exactly those.
    public init(audit: DriftAuditResult, chosen: [Int]) {
        var only = audit
        only.findings = chosen.filter { audit.findings.indices.contains($0) }.map { audit.findings[$0] }
        self.audit = only
    }

    public var options: RepairOptions { RepairOptions(direction: direction, deleteUnlinkedMemories: deletesUnlinkedMemories) }
    /// nil while disagreeing findings are chosen without a direction.
    public var plan: RepairPlan? { try? RepairPlan(audit: audit, options: options) }
    public var refusal: String? {
        let disagreeing = audit.findings.filter { $0.kind == .disagreeing }.count
        guard plan == nil, disagreeing > 0 else { return nil }
        return "\(disagreeing) chosen row(s) disagree with Mem0: press d to choose which side is right (Mem0 → row, or row → Mem0)."
    }

    /// The list shown above the dialog, wrapped to `width`: every change, then every finding left alone.
    func lines(width: Int) -> [TextLine] {
        func wrapped(_ text: String, _ style: Style) -> [TextLine] {
            TextLayout.wrap(text, width: max(1, width - 2)).enumerated().map { TextLine(($0.offset == 0 ? "" : "  ") + $0.element, style) }
        }
        guard let plan else { return wrapped(refusal ?? "", .warning) }
        var lines = plan.actions.flatMap { wrapped("• " + $0.summary, $0.kind == .deleteMem0Memory ? .error : .plain) }
        lines += plan.skipped.flatMap { wrapped("– left alone: \($0.finding.mem0MemoryID): \($0.reason)", .dim) }
        return lines
    }

    /// Rows for the list: the body less the options line and the dialog.
    static func listRows(_ context: ScreenContext) -> Int { max(1, context.bodyHeight - 2 - dialogRows) }
    static let dialogRows = 8
}

/// How the audit screen draws: the equations, the verdict, the findings table and the selected finding; in review,
/// the list of changes and the confirm dialog.
enum DriftAuditRender {
    static func render(_ screen: DriftAuditScreen, _ context: ScreenContext, _ area: Rect, _ buffer: inout Buffer) {
        switch screen.phase {
        case .running(let progress):
            var y = area.y
            if let run = screen.lastRun { runLine(run, context, x: area.x, y: &y, width: area.width, &buffer) }
            let spinner = Spinner.frame(context.tick)
            guard let progress, progress.total > 0 else {
                let text = screen.isRepairing ? "repairing…" : "auditing: reading the file and listing each user's Mem0 memories…"
                buffer.put("\(spinner) \(text)", x: 1, y: y, style: .accent)
                return
            }
            let phase = progress.phase == .listingUsers ? "listing each user's Mem0 memories" : "fetching rows no list returned, by id"
            buffer.put(TextLayout.truncate("\(spinner) auditing: \(phase)", toWidth: area.width - 1), x: 1, y: y, style: .accent)
            let fraction = Double(progress.done) / Double(max(1, progress.total))
            ProgressBar.render(fraction: fraction, caption: "\(Format.count(progress.done))/\(Format.count(progress.total))",
                               into: &buffer, x: 1, y: y + 1, width: max(10, area.width - 2))
        case .failed(let message):
            var y = area.y
            for line in TextLayout.wrap("✗ the audit could not run: \(message)", width: max(1, area.width - 2)).prefix(area.height) {
                buffer.put(line, x: 1, y: y, style: .error); y += 1
            }
            if y < area.maxY { buffer.put("r runs it again", x: 1, y: y + 1, style: .dim) }
        case .loaded(let result):
            var y = area.y
            header(result, x: area.x, y: &y, width: area.width, &buffer)
            if let run = screen.lastRun { runLine(run, context, x: area.x, y: &y, width: area.width, &buffer) }
            let tableHeight = max(2, area.maxY - y - DriftAuditScreen.detailRows)
            table(screen, result, Rect(x: area.x, y: y, width: area.width, height: tableHeight), &buffer)
            detail(screen, result, Rect(x: area.x, y: y + tableHeight, width: area.width, height: area.maxY - y - tableHeight), &buffer)
            if let review = screen.review { reviewPanel(review, context, area, &buffer) }
        }
    }

    static func equations(_ r: DriftAuditResult) -> (metadata: VerificationRender.Equation, mem0: VerificationRender.Equation) {
        let left = max(DisplayWidth.of("metadata rows"), DisplayWidth.of("Mem0 memories"))
        let metadata = VerificationRender.Equation(
            [("metadata rows", Format.count(r.metadataRows)), ("linked-and-matching", Format.count(r.linkedOK)),
             ("dangling", Format.count(r.dangling)), ("disagreeing", Format.count(r.disagreeing))],
            holds: r.metadataEquationHolds, leftWidth: left)
        let mem0 = VerificationRender.Equation(
            [("Mem0 memories", Format.count(r.mem0Memories)), ("linked", Format.count(r.linked)),
             ("unlinked", Format.count(r.unlinked))],
            holds: r.mem0EquationHolds, leftWidth: left)
        return (metadata, mem0)
    }

    /// The two equations (their verdict says whether the counts add up), the drift verdict and the first note.
    static func header(_ r: DriftAuditResult, x: Int, y: inout Int, width: Int, _ buffer: inout Buffer) {
        let (metadata, mem0) = equations(r)
        let top = y
        metadata.draw(into: &buffer, x: x, y: &y, width: width, maxY: top + 3)
        y = top + 2
        mem0.draw(into: &buffer, x: x, y: &y, width: width, maxY: top + 4)
        y = top + 4
        let verdict = r.isClean ? "✓ clean: every row has its memory and every memory its row"
            : "✗ drift: \(Format.count(r.dangling)) dangling · \(Format.count(r.unlinked)) unlinked · \(Format.count(r.disagreeing)) disagreeing"
        var scope = r.sampled ? "  (sample: \(r.usersAudited) of \(r.usersInFile) users)" : "  (\(r.usersAudited) users)"
        if !r.usersAtServerCap.isEmpty { scope += " · \(r.usersAtServerCap.count) at the OSS 1,000 cap" }
        let end = buffer.put(verdict, x: x, y: y, style: r.isClean ? .ok : .error, limit: width)
        buffer.put(scope, x: end, y: y, style: .dim, limit: max(0, x + width - end))
        y += 1
        if let note = r.notes.first { buffer.put(TextLayout.truncate("note: " + note, toWidth: width), x: x, y: y, style: .dim) }
        y += 1
    }

    static func runLine(_ run: RepairRun, _ context: ScreenContext, x: Int, y: inout Int, width: Int, _ buffer: inout Buffer) {
        let text = "✓ repair run \(run.runID): \(run.applied.count) applied, \(run.skipped.count) left alone · undo: memconsole repair \(context.status.filePath) --undo \(run.runID)"
        buffer.put(TextLayout.truncate(text, toWidth: width), x: x, y: y, style: .ok)
        y += 1
    }

    static func detailText(_ f: DriftFinding) -> String {
        switch f.kind {
        case .dangling: return "Mem0 has no memory with this id"
        case .unlinked: return f.memory?.text ?? ""
        case .disagreeing:
            return f.differences.map { "\($0.field.rawValue): row \($0.metadataValue), Mem0 \($0.mem0Value)" }.joined(separator: "; ")
        }
    }

    static func table(_ screen: DriftAuditScreen, _ r: DriftAuditResult, _ area: Rect, _ buffer: inout Buffer) {
        let columns = [TableColumn("", min: 1), TableColumn("Kind", min: 11), TableColumn("Metadata", min: 8, alignRight: true),
                       TableColumn("Mem0 id", min: 10, max: 36, flex: 1), TableColumn("User", min: 4, alignRight: true),
                       TableColumn("Detail", min: 10, flex: 2)]
        let rows = r.findings.enumerated().map { i, f in
            TableRow([screen.selection.contains(i) ? "●" : " ", f.kind.rawValue, f.metadataID.map { "#\($0)" } ?? "—",
                      f.mem0MemoryID, f.userID.map(String.init) ?? "?", detailText(f)],
                     styles: [.accent, f.kind == .disagreeing ? .warning : .error])
        }
        if rows.isEmpty {
            Table(columns: columns, rows: []).render(into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1))
            buffer.put("✓ no findings", x: 1, y: area.y + 1, style: .ok)
            return
        }
        Table(columns: columns, rows: rows, selected: screen.findings.cursor, top: screen.findings.top).render(into: &buffer, area: area)
    }

    /// The selected finding: its full Mem0 id and user, then what differs or the memory's text.
    static func detail(_ screen: DriftAuditScreen, _ r: DriftAuditResult, _ area: Rect, _ buffer: inout Buffer) {
        guard area.height > 0, r.findings.indices.contains(screen.findings.cursor) else { return }
        let f = r.findings[screen.findings.cursor]
        buffer.put(String(repeating: "─", count: area.width), x: area.x, y: area.y, style: .dim)
        let ids = "Mem0 \(f.mem0MemoryID) · \(f.mem0UserID ?? "no Mem0 user") · metadata row \(f.metadataID.map(String.init) ?? "none")"
        if area.height > 1 { buffer.put(TextLayout.truncate(ids, toWidth: area.width), x: area.x, y: area.y + 1, style: .bold) }
        if area.height > 2 { buffer.put(TextLayout.truncate(detailText(f), toWidth: area.width), x: area.x, y: area.y + 2) }
    }

    /// The changes (scrolling), the options line, and the confirm dialog at the bottom.
    static func reviewPanel(_ review: RepairReview, _ context: ScreenContext, _ area: Rect, _ buffer: inout Buffer) {
        buffer.fill(x: area.x, y: area.y, width: area.width, height: area.height)
        let plan = review.plan
        let count = plan?.actions.count ?? 0
        buffer.put(TextLayout.truncate("Repair \(review.audit.findings.count) finding(s): \(count) change(s)", toWidth: area.width),
                   x: area.x, y: area.y, style: .bold)
        let direction = review.direction.map { $0 == .toMetadata ? "Mem0 → row" : "row → Mem0" } ?? "not chosen"
        let deletion = review.deletesUnlinkedMemories ? "DELETE them in Mem0 (cannot be undone)" : "adopt (new metadata rows)"
        buffer.put(TextLayout.truncate("d disagreeing: \(direction) · X unlinked memories: \(deletion)", toWidth: area.width),
                   x: area.x, y: area.y + 1, style: review.deletesUnlinkedMemories ? .error : .dim)
        let listRows = max(1, area.height - 2 - RepairReview.dialogRows)
        review.scroll.render(review.lines(width: area.width), area: Rect(x: area.x, y: area.y + 2, width: area.width, height: listRows),
                             into: &buffer)
        let deletes = plan?.actions.filter { $0.kind == .deleteMem0Memory }.count ?? 0
        var message = "Apply \(count) change(s) to \(context.status.filePath)? Each is journaled (memconsole repair --undo RUN)."
        if deletes > 0 { message = "\(deletes) Mem0 memor\(deletes == 1 ? "y is" : "ies are") deleted for good. " + message }
        let dialogArea = Rect(x: area.x, y: area.maxY - RepairReview.dialogRows, width: area.width, height: RepairReview.dialogRows)
        Dialog(title: "Repair?", message: message, buttons: ["Cancel", "Repair"], focused: review.focus,
               isAlarming: deletes > 0).render(into: &buffer, within: dialogArea)
    }
}
