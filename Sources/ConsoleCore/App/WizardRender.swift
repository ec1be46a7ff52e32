import Migration

/// The wizard: the seven steps down the left, the current step's panel on the right.
enum WizardRender {
    static let stepColumn = 20

    static func render(_ w: WizardScreen, _ state: ScreenContext, _ area: Rect, _ buffer: inout Buffer) {
        for step in WizardStep.allCases where area.y + step.rawValue - 1 < area.maxY {
            let y = area.y + step.rawValue - 1
            let mark = step.rawValue < w.step.rawValue ? "✓" : step == w.step ? "▸" : " "
            let style: Style = step == w.step ? .selected : step.rawValue < w.step.rawValue ? .ok : .dim
            buffer.put(TextLayout.fit("\(mark) \(step.rawValue) \(step.name)", width: stepColumn - 2), x: area.x, y: y, style: style)
        }
        for y in area.y..<area.maxY { buffer.put("│", x: area.x + stepColumn - 1, y: y, style: .dim) }
        let panel = Rect(x: area.x + stepColumn + 1, y: area.y, width: area.width - stepColumn - 1, height: area.height)
        var out = Panel(buffer: buffer, area: panel)
        switch w.step {
        case .preflight: preflight(w, state, &out)
        case .plan: plan(w, state, &out)
        case .options, .confirm: options(w, &out)
        case .run: run(w, state, &out)
        case .verify: verify(w, state, &out)
        case .done: done(w, &out)
        }
        buffer = out.buffer
        if w.step == .confirm { confirmDialog(w, state).render(into: &buffer, within: area) }
    }

    /// A cursor that writes wrapped lines down a panel.
    struct Panel {
        var buffer: Buffer
        let area: Rect
        var y: Int
        init(buffer: Buffer, area: Rect) { self.buffer = buffer; self.area = area; y = area.y }
        mutating func line(_ text: String, _ style: Style = .plain) {
            for piece in TextLayout.wrap(text, width: max(1, area.width)) where y < area.maxY {
                buffer.put(piece, x: area.x, y: y, style: style); y += 1
            }
        }
        mutating func pair(_ label: String, _ value: String, _ style: Style = .plain) {
            guard y < area.maxY else { return }
            buffer.put(TextLayout.fit(label, width: 22), x: area.x, y: y, style: .dim)
            buffer.put(TextLayout.truncate(value, toWidth: max(0, area.width - 23)), x: area.x + 23, y: y, style: style)
            y += 1
        }
        mutating func gap() { y += 1 }
    }

    static func waiting(_ w: WizardScreen, _ state: ScreenContext, _ text: String, _ p: inout Panel) -> Bool {
        switch w.phase {
        case .loading: p.line("\(Spinner.frame(state.tick)) \(text)", .accent); return true
        case .failed(let message): p.line("✗ \(message)", .error); p.gap(); p.line("r tries again · q leaves the wizard", .dim); return true
        case .idle: return false
        }
    }

    static func preflight(_ w: WizardScreen, _ state: ScreenContext, _ p: inout Panel) {
        if waiting(w, state, "checking the file and pinging Mem0…", &p) { return }
        guard let info = w.preflight else { return }
        p.pair("File", state.status.filePath)
        p.pair("State", info.fileState.rawValue, info.fileState == .legacy ? .ok : .warning)
        p.pair("Legacy memories", Format.count(info.legacyRows))
        p.pair("Mem0", "\(info.mem0Endpoint) (\(info.mem0Dialect))")
        p.gap()
        for check in info.checks {
            p.line("\(check.passed ? "✓" : "✗") \(check.label): \(check.detail)", check.passed ? .ok : .error)
        }
        p.gap()
        if let blocker = info.blocker { p.line("✗ not ready: fix the ✗ above, then r re-checks. " + blocker, .error) }
        else if let run = info.interrupted {
            p.line("✓ ready. Run \(run.runID) was interrupted at \(Format.count(run.accounted)) of \(Format.count(run.total)) rows: Enter goes to Resume.", .ok)
        } else { p.line("✓ ready. Enter runs the dry run (nothing is written).", .ok) }
    }

    static func plan(_ w: WizardScreen, _ state: ScreenContext, _ p: inout Panel) {
        if waiting(w, state, "dry run: classifying every legacy row (nothing is written)…", &p) { return }
        guard let plan = w.report.plan else { return }
        p.pair("Legacy rows", Format.count(plan.legacyRows))
        p.pair("To migrate", Format.count(plan.migratable), .ok)
        p.pair("Duplicates", "\(Format.count(plan.duplicates)) (recorded on their first copy)", plan.duplicates > 0 ? .warning : .plain)
        p.pair("Rejected", Format.count(plan.rejected), plan.rejected > 0 ? .error : .plain)
        for (code, n) in plan.rejectedByCode.sorted(by: { $0.key < $1.key }) { p.pair("  " + code, Format.count(n), .dim) }
        if plan.orphanProfiles > 0 { p.pair("Orphan profile ids", "\(Format.count(plan.orphanProfiles)) (migrated, profile left NULL)", .warning) }
        p.pair("Users", Format.count(plan.users))
        p.pair("Estimate", "~\(Format.duration(plan.estimatedSeconds)) at \(Format.fixed(plan.assumedRate, 1))/s (\(plan.rateSource))")
        p.gap()
        p.line("Enter: choose the options", .dim)
    }

    static func options(_ w: WizardScreen, _ p: inout Panel) {
        p.line("Options (Space toggles, +/- change, Enter confirms)", .bold)
        p.gap()
        // Values stay near their labels on a wide screen: the rows are at most 64 cells wide.
        let rowWidth = min(p.area.width, 64)
        for (i, row) in w.optionRows.enumerated() where p.y < p.area.maxY {
            let selected = i == w.optionCursor
            if selected { p.buffer.fill(x: p.area.x, y: p.y, width: rowWidth, height: 1, style: .selected) }
            p.buffer.put(TextLayout.fit((selected ? "▸ " : "  ") + row.label, width: max(0, rowWidth - 12)), x: p.area.x, y: p.y,
                         style: selected ? .selected : .plain)
            p.buffer.put(TextLayout.fit(row.value, width: 10, alignRight: true), x: p.area.x + rowWidth - 10, y: p.y,
                         style: selected ? .selected : .accent)
            p.y += 1
        }
        p.gap()
        if !w.options.keepBackupTable {
            p.line("The old table is dropped at the end, so a backup file is always written.", .dim)
        } else if !w.options.writeBackupFile {
            p.line("⚠ no backup file: memories_backup and the journal are what undo this run (memconsole rollback).", .warning)
        }
    }

    static func confirmDialog(_ w: WizardScreen, _ state: ScreenContext) -> Dialog {
        let n = w.report.plan?.migratable ?? 0
        let endpoint = state.status.mem0Endpoint ?? "Mem0"
        let backup = w.options.writeBackupFile ? "a backup copy is written first" : "NO backup copy"
        return Dialog(title: "Start the migration?",
                      message: "\(Format.count(n)) memories will be sent to \(endpoint)"
                        + "\(state.status.mem0Dialect.map { " (\($0))" } ?? ""); \(backup). The file changes schema only "
                        + "when every row is accounted for; an interrupted run can be resumed.",
                      buttons: ["Cancel", "Migrate"], focused: w.confirmFocus)
    }

    static func run(_ w: WizardScreen, _ state: ScreenContext, _ p: inout Panel) {
        let r = w.report
        if !w.isRunning, r.end == nil, let offer = w.resumeOffer {
            p.line("An interrupted run is recorded in this file.", .bold)
            p.gap()
            p.pair("Run", offer.runID)
            p.pair("Done", "\(Format.count(offer.accounted)) of \(Format.count(offer.total)) rows (\(Format.count(offer.linked)) linked)")
            p.pair("To send", Format.count(offer.total - offer.accounted))
            p.gap()
            p.line("Enter resumes it: rows that may have reached Mem0 are looked up first, so nothing is sent twice. q leaves; the file stays resumable.", .dim)
            return
        }
        if let progress = r.lastProgress, let counts = w.runProgress {
            let fraction = counts.total > 0 ? Double(counts.done) / Double(counts.total) : 0
            let caption = ProgressBar.caption(done: counts.done, total: counts.total, rate: counts.rowsPerSecond, etaSeconds: counts.etaSeconds)
            ProgressBar.render(fraction: fraction, caption: caption, into: &p.buffer, x: p.area.x, y: p.y, width: p.area.width)
            p.y += 2
            p.pair("In flight", "\(w.isRunning ? progress.inFlight : 0) of \(progress.concurrency)" + (progress.rateLimit.map { " · cap \(Format.fixed($0, 1))/s" } ?? ""))
        } else if w.isRunning {
            p.line("\(Spinner.frame(state.tick)) starting the run…", .accent); p.gap()
        }
        p.pair("Linked", Format.count(r.linked), .ok)
        p.pair("Duplicates", Format.count(r.duplicates), r.duplicates > 0 ? .warning : .plain)
        p.pair("Rejected", Format.count(r.rejected), r.rejected > 0 ? .error : .plain)
        p.pair("Retries", Format.count(r.retries), r.retries > 0 ? .warning : .plain)
        p.pair("429 rate limited", Format.count(r.rateLimitHits), r.rateLimitHits > 0 ? .warning : .plain)
        if r.reconciled > 0 { p.pair("Reconciled", Format.count(r.reconciled)) }
        if let last = r.recentRejections.last { p.pair("Last rejected", "#\(last.legacyID) \(last.reason.message)", .dim) }
        p.gap()
        if let end = r.end {
            // The same headline and reason the CLI prints for this end (RunEnd).
            p.line((end.succeeded ? "✓ " : "✗ ") + end.headline, end.succeeded ? .ok : (end.isResumable ? .warning : .error))
            if let reason = end.reason, !end.succeeded { p.line(reason.operatorMessage, .dim) }
            p.gap()
            p.line(end.isResumable ? "Enter resumes the run · q leaves (the file stays resumable)" : "q leaves the wizard", .dim)
        } else if w.cancelRequested {
            p.line("\(Spinner.frame(state.tick)) cancelling: no new rows are sent; waiting for the adds in flight, then the run stops resumable…", .warning)
        } else {
            p.line("x cancels the run (it stops cleanly and can be resumed)", .dim)
        }
    }

    static func verify(_ w: WizardScreen, _ state: ScreenContext, _ p: inout Panel) {
        if w.phase == .loading { p.line("\(Spinner.frame(state.tick)) verifying the counts and every link…", .accent); return }
        if case .failed(let message) = w.phase { p.line("✗ " + message, .error); return }
        guard let v = w.report.verification else { return }
        let used = VerificationRender.equations(v, into: &p.buffer, area: Rect(x: p.area.x, y: p.y, width: p.area.width, height: p.area.maxY - p.y))
        p.y += used
        p.gap()
        p.line("Enter: finish", .dim)
    }

    static func done(_ w: WizardScreen, _ p: inout Panel) {
        let r = w.report
        if let failure = r.failure {
            p.line("✗ The run stopped.", .error); p.line(failure.operatorMessage, .error)
        } else if r.succeeded {
            p.line("✓ Migration finished and verified.", .ok)
        } else {
            p.line("✗ Migration finished but verification found problems: press v to see them.", .error)
        }
        p.gap()
        if let f = r.finalized {
            p.pair("Linked", Format.count(f.linked))
            p.pair("Duplicates", Format.count(f.duplicates))
            p.pair("Rejected", Format.count(f.rejected))
            p.pair("memories_backup", f.keptBackupTable ? "kept" : "dropped")
        }
        if let path = r.backupPath { p.pair("Backup file", path) }
        p.gap()
        p.line("v opens verification · q closes the wizard", .dim)
    }
}
