import Migration

/// The wizard's step transitions. Each step either waits for a result (spinner) or for the operator.
enum WizardFlow {
    static func perform(_ action: Action, _ state: inout AppState) -> [Effect] {
        guard case .wizard(var w) = state.screen else { return [] }
        defer { state.screen = .wizard(w) }
        switch (w.step, action) {
        case (.preflight, .refresh):
            w.phase = .loading; w.preflight = nil
            return [.runPreflight]
        case (.preflight, .next):
            guard w.phase == .idle, let info = w.preflight else { return [] }
            if let blocker = info.blocker { state.notice = .init(blocker, isError: true); return [] }
            if let interrupted = info.interrupted {
                // A partly migrated file: nothing to plan; the run step offers to resume the interrupted run.
                w.step = .run; w.phase = .idle; w.report = MigrationReport(); w.resumeOffer = interrupted
                return []
            }
            w.step = .plan; w.phase = .loading; w.report = MigrationReport()
            return [.startMigrationPlan]
        case (.plan, .refresh):
            w.phase = .loading; w.report = MigrationReport()
            return [.startMigrationPlan]
        case (.plan, .next):
            guard w.phase == .idle, w.report.plan != nil else { return [] }
            w.step = .options
            return []
        case (.options, .moveDown): w.optionCursor = min(w.optionCursor + 1, w.optionRows.count - 1); return []
        case (.options, .moveUp): w.optionCursor = max(w.optionCursor - 1, 0); return []
        case (.options, .toggle), (.options, .increase), (.options, .decrease):
            change(&w, action); return []
        case (.options, .next):
            w.step = .confirm; w.confirmFocus = 0
            return []
        case (.confirm, .toggle):
            w.confirmFocus = 1 - w.confirmFocus; return []
        case (.confirm, .confirm) where w.confirmFocus == 0:
            w.step = .options; return []
        case (.confirm, .confirm), (.confirm, .next):
            w.options.resume = false
            return start(&w)
        case (.run, .next):
            // Resume: offered only when the file records a run to resume and no run is streaming.
            guard !w.isRunning, w.resumeOffer != nil else { return [] }
            w.options.resume = true
            return start(&w)
        case (.run, .cancelRun):
            guard w.isRunning, !w.cancelRequested else { return [] }
            w.cancelRequested = true
            return [.cancelMigration]
        case (.verify, .refresh):
            w.phase = .loading
            return [.loadVerification(sample: nil)]
        case (.verify, .next):
            guard w.phase != .loading else { return [] }
            w.step = .done
            return []
        case (.done, .verify):
            state.screen = .wizard(w)
            state.stack.removeLast()
            state.stack.append(.verification(VerificationScreen()))
            w = WizardScreen()
            return [.loadVerification(sample: nil)]
        default:
            return []
        }
    }

    private static func start(_ w: inout WizardScreen) -> [Effect] {
        w.step = .run; w.report = MigrationReport(); w.phase = .idle; w.cancelRequested = false; w.pendingAtResume = nil
        w.isRunning = true; w.resumeOffer = nil
        return [.startMigration(w.options)]
    }

    static func change(_ w: inout WizardScreen, _ action: Action) {
        let up = action != .decrease
        switch w.optionCursor {
        case 0:
            // Dropping the old table implies a backup file (the engine's rule): the file cannot be switched off then.
            if w.options.keepBackupTable { w.options.writeBackupFile.toggle() }
        case 1:
            w.options.keepBackupTable.toggle()
            if !w.options.keepBackupTable { w.options.writeBackupFile = true }
        case 2: w.options.concurrency = step(WizardOptions.concurrencySteps, from: w.options.concurrency, up: up, wrap: action == .toggle)
        default: w.options.rate = step(WizardOptions.rateSteps, from: w.options.rate, up: up, wrap: action == .toggle)
        }
    }

    static func step<T: Equatable>(_ steps: [T?], from value: T?, up: Bool, wrap: Bool) -> T? {
        let i = steps.firstIndex(of: value) ?? 0
        if wrap { return steps[(i + 1) % steps.count] }
        return steps[min(max(0, i + (up ? 1 : -1)), steps.count - 1)]
    }

    /// Folds one engine event into the wizard on the stack (the same `MigrationReport.apply` the CLI uses).
    static func receive(_ event: MigrationEvent, _ state: inout AppState) -> [Effect] {
        guard let index = state.stack.lastIndex(where: { if case .wizard = $0 { return true }; return false }),
              case .wizard(var w) = state.stack[index] else { return [] }
        defer { state.stack[index] = .wizard(w) }
        w.report.apply(event)
        switch (w.step, event) {
        case (.run, .runStarted(_, let resumed, let pending)):
            w.pendingAtResume = resumed ? pending : nil
        case (.plan, .planned):
            w.phase = .idle
        case (.plan, .failed(let error)):
            w.phase = .failed(error.operatorMessage)
        case (.run, .finalized):
            w.step = .verify
            w.phase = .loading
        case (.run, .verified), (.verify, .verified):
            w.step = .verify; w.phase = .idle
        case (_, .ended(let end)):
            // The run's truth, read from the file: a finalized run is verified; any other end stays on the run
            // step, saying what it is, with Resume when the file can be continued.
            w.isRunning = false
            w.cancelRequested = false
            switch end {
            case .finalized(_, let verification):
                guard w.step == .run || w.step == .verify else { break }
                w.step = .verify
                if verification == nil && w.report.verification == nil {
                    w.phase = .loading; return [.loadVerification(sample: nil)]
                }
                w.phase = .idle
            case .stopped(let runID, let counts, _):
                w.resumeOffer = PreflightInfo.InterruptedRun(runID: runID, accounted: counts.accountedFor,
                                                             total: counts.total, linked: counts.linked)
            case .planned:
                if w.step == .plan { w.phase = .idle }
            case .refused(let reason) where w.step == .plan:
                w.phase = .failed(reason.operatorMessage)
            case .rolledBack, .refused:
                break
            }
        default:
            break
        }
        return []
    }
}
