import Foundation

/// The phases of a run, in order: their times are the `--json` summary's `phases`; all but sending report
/// `PhaseProgress` (sending has its own `MigrationProgress`). The sweep, finalize and verify are the post-send phases.
public enum MigrationPhase: String, Sendable, Codable, CaseIterable {
    /// Preflight of the file and Mem0, the classification of every row and the measured estimate.
    case plan
    case backup
    /// From the journal's start (or a resume's reconcile of unconfirmed rows) to the last link committed.
    case send
    case sweep
    case finalize
    case verify

    /// What the phase is doing, as an operator reads it in a progress line.
    public var label: String {
        switch self {
        case .plan: return "planning"
        case .backup: return "backing up"
        case .send: return "sending"
        case .sweep: return "sweeping"
        case .finalize: return "finalizing"
        case .verify: return "verifying"
        }
    }
}

/// How far a phase has got: `done` of `total` `unit`s ("rows read and classified", "pages copied", ...), the rate
/// since the phase began and the time still to go at that rate.
public struct PhaseProgress: Sendable, Equatable, Codable {
    public var phase: MigrationPhase
    public var done: Int
    public var total: Int
    public var unit: String
    public var perSecond: Double
    public var etaSeconds: Double?

    public init(phase: MigrationPhase, done: Int, total: Int, unit: String, perSecond: Double, etaSeconds: Double?) {
        self.phase = phase; self.done = done; self.total = total; self.unit = unit
        self.perSecond = perSecond; self.etaSeconds = etaSeconds
    }

    public var isComplete: Bool { done >= total }
}

/// Turns a phase loop's counts into `phaseProgress` events: the first count, then at most one every `interval`
/// seconds, and the last (`done == total`) always, so a consumer sees a start and an end however fast the phase is.
/// Safe to call from the synchronous database closures the planner and the backup run in.
final class PhaseMeter: @unchecked Sendable {
    private let phase: MigrationPhase
    private let unit: String
    private let interval: Double
    private let emit: @Sendable (PhaseProgress) -> Void
    private let clock = ContinuousClock()
    private let lock = NSLock()
    private var start: ContinuousClock.Instant?
    private var lastEmitted: Double = -.infinity

    init(_ phase: MigrationPhase, unit: String, interval: Double = 0.25, emit: @escaping @Sendable (PhaseProgress) -> Void) {
        self.phase = phase; self.unit = unit; self.interval = interval; self.emit = emit
    }

    convenience init(_ phase: MigrationPhase, unit: String, sink: EventSink) {
        self.init(phase, unit: unit) { sink.emit(.phaseProgress($0)) }
    }

    func update(done: Int, total: Int) {
        lock.lock()
        let now = clock.now
        let begun = start ?? now
        start = begun
        let elapsed = (now - begun).inSeconds
        let due = done >= total || lastEmitted == -.infinity || elapsed - lastEmitted >= interval
        if due { lastEmitted = elapsed }
        lock.unlock()
        guard due else { return }
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let remaining = max(total - done, 0)
        let eta: Double? = remaining == 0 ? 0 : (rate > 0 ? Double(remaining) / rate : nil)
        emit(PhaseProgress(phase: phase, done: done, total: total, unit: unit, perSecond: rate, etaSeconds: eta))
    }
}
