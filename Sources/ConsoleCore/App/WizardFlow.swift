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
            w.step = .run; w.report = MigrationReport(); w.phase = .idle; w.cancelRequested = false; w.pendingAtResume = nil
            return [.startMigration(w.options)]
        case (.run, .cancelRun):
            guard !w.report.isFinished, !w.cancelRequested else { return [] }
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
        case 3: w.options.rate = step(WizardOptions.rateSteps, from: w.options.rate, up: up, wrap: action == .toggle)
        default: w.options.resume.toggle()
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
            if w.report.verification == nil { w.phase = .loading; return [.loadVerification(sample: nil)] }
            w.phase = .idle
        case (.run, .verified), (.verify, .verified):
            w.step = .verify; w.phase = .idle
        case (.run, .failed):
            w.step = .done
        default:
            break
        }
        return []
    }
}
