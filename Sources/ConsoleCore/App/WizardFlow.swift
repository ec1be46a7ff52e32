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
        if step == .run, isRunning {
            context.notice = .init("The migration is running: press x to cancel it (it can be resumed later).", isError: true)
            return true
        }
        if step == .confirm { step = .options; return true }
        return false
    }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        WizardFlow.perform(action, &self, &context)
    }

    /// Rows are in flight while the engine's stream is open: Ctrl-C asks first, and a second one cancels cleanly.
    public var confirmsInterrupt: Bool { isRunning }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        switch message {
        case .preflightLoaded(let info):
            preflight = info; phase = .idle
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
            context.replace(with: VerificationScreen())
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
