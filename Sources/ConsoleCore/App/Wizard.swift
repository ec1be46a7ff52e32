import Migration

/// The seven steps of the migration wizard, in order.
public enum WizardStep: Int, CaseIterable, Equatable, Sendable {
    case preflight = 1, plan, options, confirm, run, verify, done
    public var number: Int { rawValue }
    public var name: String {
        switch self {
        case .preflight: return "Preflight"
        case .plan: return "Plan (dry run)"
        case .options: return "Options"
        case .confirm: return "Confirm"
        case .run: return "Run"
        case .verify: return "Verify"
        case .done: return "Done"
        }
    }
}

/// What preflight found: the file's state and whether Mem0 answers. Built by the root from Storage and Mem0Client.
public struct PreflightInfo: Equatable, Sendable {
    public var fileState: StatusInfo.FileState
    public var legacyRows: Int
    public var mem0Endpoint: String
    public var mem0Dialect: String
    /// Round trip of the ping in milliseconds, measured by the root.
    public var pingMilliseconds: Double?
    /// Why the migration cannot start (nil: it can). Already phrased as the operator's next step.
    public var blocker: String?
    /// Every check of Migration's preflight, ✓ or ✗ with what was found or what to do; the run starts only when all
    /// pass.
    public var checks: [Check]
    /// The run the file records as interrupted: the wizard offers to resume it instead of planning a new one.
    public var interrupted: InterruptedRun?

    public struct Check: Equatable, Sendable {
        public var label: String
        public var passed: Bool
        public var detail: String
        public init(label: String, passed: Bool, detail: String) { self.label = label; self.passed = passed; self.detail = detail }
    }

    public struct InterruptedRun: Equatable, Sendable {
        public var runID: String
        public var accounted: Int
        public var total: Int
        public var linked: Int
        public init(runID: String, accounted: Int, total: Int, linked: Int) {
            self.runID = runID; self.accounted = accounted; self.total = total; self.linked = linked
        }
    }

    public init(fileState: StatusInfo.FileState, legacyRows: Int, mem0Endpoint: String, mem0Dialect: String,
                pingMilliseconds: Double?, blocker: String?, checks: [Check] = [], interrupted: InterruptedRun? = nil) {
        self.fileState = fileState; self.legacyRows = legacyRows; self.mem0Endpoint = mem0Endpoint
        self.mem0Dialect = mem0Dialect; self.pingMilliseconds = pingMilliseconds; self.blocker = blocker
        self.checks = checks; self.interrupted = interrupted
    }
}

/// The choices of step 3, mapped by the root onto the engine's configuration (the CLI flags of the same names).
public struct WizardOptions: Equatable, Sendable {
    public var writeBackupFile = true
    public var keepBackupTable = true
    /// nil: the engine's adaptive default.
    public var concurrency: Int? = nil
    /// Requests per second cap; nil: no cap (the engine still backs off on 429).
    public var rate: Double? = nil
    /// Continue the file's interrupted run instead of starting one. Not an option row: the wizard sets it when the
    /// operator chooses Resume, which it offers only when the file records a run to resume.
    public var resume = false
    public init() {}

    static let concurrencySteps: [Int?] = [nil, 1, 2, 4, 8, 16, 32, 64]
    static let rateSteps: [Double?] = [nil, 1, 2, 5, 10, 1000.0 / 60, 50, 100, 500]
}

/// The wizard's state. The run's numbers are Migration's `MigrationReport`, folded from the same events the CLI
/// prints, so the wizard and `memconsole migrate` can never tell two stories.
public struct WizardScreen: Equatable, Sendable {
    public enum Phase: Equatable, Sendable { case idle, loading, failed(String) }
    public var step: WizardStep = .preflight
    public var preflight: PreflightInfo?
    public var phase: Phase = .loading
    public var options = WizardOptions()
    public var optionCursor = 0
    /// Focused button of the confirm dialog: 0 Cancel, 1 Migrate.
    public var confirmFocus = 0
    public var report = MigrationReport()
    public var cancelRequested = false
    /// The engine's stream is open: rows may be in flight, so the wizard cannot be left.
    public var isRunning = false
    /// The interrupted run offered for resuming (from preflight, or a run of this wizard that stopped resumable).
    public var resumeOffer: PreflightInfo.InterruptedRun?
    /// `pendingRows` of a resumed run's `runStarted`: the rows it had accounted for earlier are the total minus
    /// these. Nil for a fresh run, whose plan events are folded into `report` like every later row.
    public var pendingAtResume: Int?

    public init() {}

    /// The run's progress as the bar shows it: `done` is the same report fold as the Linked / Duplicates / Rejected
    /// lines below it (plus what a resumed run had done before), so the bar and the counts can never disagree. The
    /// engine's periodic sample supplies only the total and the rate; its own `done` lags the events by up to a tick.
    public var runProgress: (done: Int, total: Int, rowsPerSecond: Double, etaSeconds: Double?)? {
        guard let sample = report.lastProgress else { return nil }
        let total = sample.total
        let before = pendingAtResume.map { max(0, total - $0) } ?? 0
        let done = min(total, before + report.accountedFor)
        let remaining = total - done
        let rate = sample.rowsPerSecond
        let eta: Double? = remaining == 0 ? 0 : rate > 0 ? Double(remaining) / rate : nil
        return (done, total, rate, eta)
    }

    public var isBusy: Bool { phase == .loading || (step == .run && isRunning) }

    /// Option rows of step 3: label and current value, in `WizardOption.allCases` order.
    public var optionRows: [(label: String, value: String)] {
        WizardOption.allCases.map { ($0.label, $0.value(options)) }
    }
}

/// The options of step 3, in the order they are listed; each knows its label, its value and how it changes, so the
/// cursor's row and the option it changes cannot drift apart.
public enum WizardOption: CaseIterable, Sendable {
    case backupFile, keepBackupTable, concurrency, rate

    public var label: String {
        switch self {
        case .backupFile: return "Write a backup copy of the file first"
        case .keepBackupTable: return "Keep the old table as memories_backup"
        case .concurrency: return "Requests in flight"
        case .rate: return "Rate cap (requests/s)"
        }
    }

    public func value(_ o: WizardOptions) -> String {
        switch self {
        case .backupFile: return o.writeBackupFile ? "yes" : "no"
        case .keepBackupTable: return o.keepBackupTable ? "yes" : "no"
        case .concurrency: return o.concurrency.map(String.init) ?? "adaptive"
        case .rate: return o.rate.map { Format.fixed($0, 1) } ?? "none"
        }
    }

    /// Space toggles (or steps forward, wrapping), +/- step a number option.
    func change(_ o: inout WizardOptions, _ action: Action) {
        let up = action != .decrease, wrap = action == .toggle
        switch self {
        case .backupFile:
            // Dropping the old table implies a backup file (the engine's rule): the file cannot be switched off then.
            if o.keepBackupTable { o.writeBackupFile.toggle() }
        case .keepBackupTable:
            o.keepBackupTable.toggle()
            if !o.keepBackupTable { o.writeBackupFile = true }
        case .concurrency: o.concurrency = Self.step(WizardOptions.concurrencySteps, from: o.concurrency, up: up, wrap: wrap)
        case .rate: o.rate = Self.step(WizardOptions.rateSteps, from: o.rate, up: up, wrap: wrap)
        }
    }

    static func step<T: Equatable>(_ steps: [T?], from value: T?, up: Bool, wrap: Bool) -> T? {
        let i = steps.firstIndex(of: value) ?? 0
        if wrap { return steps[(i + 1) % steps.count] }
        return steps[min(max(0, i + (up ? 1 : -1)), steps.count - 1)]
    }
}
