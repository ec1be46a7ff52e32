import Migration

/// The wizard as a screen: its steps' transitions (each step waits for a result, with a spinner, or for the
/// operator), the engine's events folded into its report, and its drawing (`WizardRender`).
extension WizardScreen: ScreenComponent, Opening {
    public var title: String { "Migration wizard — step \(step.number)/7 \(step.name)" }
    public var bindings: [KeyBinding] { Bindings.wizard(step) }
    public func viewport(_ context: ScreenContext) -> Int { context.bodyHeight }
    public mutating func opened(_ context: ScreenContext) -> [Effect] { [.runPreflight] }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        WizardRender.render(self, context, area, &buffer)
    }

    /// A running migration cannot be left (x cancels it); on the confirm dialog, `q` goes back to the options.
    public mutating func back(_ context: inout ScreenContext) -> Bool {
        if step == .run, !report.isFinished {
            context.notice = .init("The migration is running: press x to cancel it (it can be resumed later).", isError: true)
            return true
        }
        if step == .confirm { step = .options; return true }
        return false
    }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        WizardFlow.perform(action, &self, &context)
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        switch message {
        case .preflightLoaded(let info):
            preflight = info; phase = .idle
            options.resume = info.fileState == .partlyMigrated
            return []
        case .preflightFailed(let text):
            phase = .failed(text)
            return []
        case .verificationLoaded(let result) where step == .verify:
            report.apply(.verified(result)); phase = .idle
            return []
        case .verificationFailed(let text) where step == .verify:
            phase = .failed(text)
            return []
        case .migrationEvent(let event):
            return WizardFlow.receive(event, &self)
        default:
            return nil
        }
    }
}

enum WizardFlow {
    static func perform(_ action: Action, _ w: inout WizardScreen, _ context: inout ScreenContext) -> [Effect] {
        switch (w.step, action) {
        case (.preflight, .refresh):
            w.phase = .loading; w.preflight = nil
            return [.runPreflight]
        case (.preflight, .next):
            guard w.phase == .idle, let info = w.preflight else { return [] }
            if let blocker = info.blocker { context.notice = .init(blocker, isError: true); return [] }
            w.step = .plan; w.phase = .loading; w.report = MigrationReport()
            return [.startMigrationPlan]
        case (.plan, .refresh):
            w.phase = .loading; w.report = MigrationReport()
            return [.startMigrationPlan]
        case (.plan, .next):
            guard w.phase == .idle, w.report.plan != nil else { return [] }
            w.step = .options
            return []
        case (.options, .moveDown): w.optionCursor = min(w.optionCursor + 1, WizardOption.allCases.count - 1); return []
        case (.options, .moveUp): w.optionCursor = max(w.optionCursor - 1, 0); return []
        case (.options, .toggle), (.options, .increase), (.options, .decrease):
            WizardOption.allCases[w.optionCursor].change(&w.options, action); return []
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
            context.replace(with: VerificationScreen())
            return [.loadVerification(sample: nil)]
        default:
            return []
        }
    }

    /// Folds one engine event into the wizard (the same `MigrationReport.apply` the CLI uses).
    static func receive(_ event: MigrationEvent, _ w: inout WizardScreen) -> [Effect] {
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
