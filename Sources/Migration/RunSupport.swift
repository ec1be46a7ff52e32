import Foundation
import Mem0Client

/// Migration's name for Mem0Client's `LockedValue` (one lock type for the package).
typealias Locked<Value> = LockedValue<Value>

/// One line per step in `<file>.memconsole-logs/run-<id>.log`: the seed's per-step log, kept as a file.
///
/// Lines carry legacy ids, Mem0 ids, counts and error messages; never content and never the key (no request header
/// reaches this type).
final class RunLog: @unchecked Sendable {
    let url: URL
    private let handle: FileHandle
    private let lock = NSLock()

    init(url: URL) throws {
        self.url = url
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: url.path) {
            FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    /// The log folder for a database file.
    static func folder(for file: URL) -> URL {
        file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + ".memconsole-logs")
    }

    func write(_ line: String) {
        let text = ISOTime.string(from: Date()) + " " + line + "\n"
        lock.lock(); defer { lock.unlock() }
        try? handle.write(contentsOf: Data(text.utf8))
    }

    func close() { lock.lock(); try? handle.close(); lock.unlock() }

    /// The log line for an event (progress is logged at most every few seconds by the caller).
    static func line(for event: MigrationEvent) -> String {
        switch event {
        case .planned(let s):
            return "planned rows=\(s.legacyRows) migratable=\(s.migratable) rejected=\(s.rejected) duplicates=\(s.duplicates) orphan_profiles=\(s.orphanProfiles) users=\(s.users)"
        case .backupWritten(let path, let bytes): return "backup written path=\(path) bytes=\(bytes) (integrity_check ok, row counts equal)"
        case .runStarted(let id, let resumed, let pending): return "run \(resumed ? "resumed" : "started") id=\(id) pending=\(pending)"
        case .rowLinked(let id, let mem0): return "linked legacy_id=\(id) mem0_id=\(mem0)"
        case .rowRejected(let id, let reason): return "rejected legacy_id=\(id) reason=\(reason.journalText)"
        case .duplicate(let id, let canonical): return "duplicate legacy_id=\(id) duplicate_of=\(canonical)"
        case .retry(let id, let attempt, let reason): return "retry legacy_id=\(id) attempt=\(attempt) reason=\(reason)"
        case .rateLimited(let after, let rate):
            return "rate limited retry_after=\(after.map { String(format: "%.2f", $0) } ?? "-") pace=\(rate.map { String(format: "%.2f/s", $0) } ?? "-")"
        case .progress(let p):
            return "progress done=\(p.done)/\(p.total) rate=\(String(format: "%.1f", p.rowsPerSecond))/s in_flight=\(p.inFlight) concurrency=\(p.concurrency)"
        case .phaseProgress(let p):
            return "\(p.phase.rawValue) done=\(p.done)/\(p.total) \(p.unit) rate=\(String(format: "%.1f", p.perSecond))/s"
        case .reconciled(let id, let outcome):
            switch outcome {
            case .found(let m): return "reconciled legacy_id=\(id) found mem0_id=\(m)"
            case .foundDuplicates(let kept, let deleted): return "reconciled legacy_id=\(id) kept=\(kept) deleted=\(deleted.joined(separator: ","))"
            case .notFound: return "reconciled legacy_id=\(id) not found: will send"
            }
        case .finalized(let f): return "finalized linked=\(f.linked) duplicates=\(f.duplicates) rejected=\(f.rejected) backup_table=\(f.keptBackupTable)"
        case .verified(let v): return "verified passing=\(v.isPassing) checked=\(v.checkedLinks) mismatches=\(v.mismatches.count)"
        case .failed(let e): return "failed: \(e.operatorMessage)"
        case .phaseFinished(let phase, let seconds): return "phase \(phase.rawValue) seconds=\(String(format: "%.2f", seconds))"
        case .ended(let end): return "ended state=\(end.name): \(end.headline)"
        }
    }
}

/// Where the engine's events go: the stream, and the run log.
struct EventSink: Sendable {
    let continuation: AsyncStream<MigrationEvent>.Continuation
    let log: Locked<RunLog?>
    /// When the current phase began (the run's start, then the end of the previous phase).
    private let phaseStart = Locked(ContinuousClock.now)
    /// What the stream has said so far that `RunEnd.read` needs beside the file.
    let seen: Locked<Seen>

    struct Seen: Sendable {
        var started = false
        var finalized: FinalizeSummary?
        var verification: VerificationResult?
    }

    init(_ continuation: AsyncStream<MigrationEvent>.Continuation) {
        self.continuation = continuation
        log = Locked(nil)
        seen = Locked(Seen())
    }

    /// Reports that `phase` ended now; the next phase starts now.
    func endPhase(_ phase: MigrationPhase) {
        let now = ContinuousClock.now
        let elapsed = phaseStart.withLock { start in defer { start = now }; return now - start }
        emit(.phaseFinished(phase, seconds: elapsed.inSeconds))
    }

    func attach(_ runLog: RunLog) { log.withLock { $0 = runLog } }

    func emit(_ event: MigrationEvent) {
        switch event {
        case .runStarted: seen.withLock { $0.started = true }
        case .finalized(let summary): seen.withLock { $0.finalized = summary }
        case .verified(let result): seen.withLock { $0.verification = result }
        default: break
        }
        switch event {
        case .progress: break
        case .phaseProgress(let p) where p.done > 0 && !p.isComplete: break   // the log keeps a phase's start and end
        default: log.withLock { $0?.write(RunLog.line(for: event)) }
        }
        continuation.yield(event)
    }

    func note(_ line: String) { log.withLock { $0?.write(line) } }
}

/// Counts rows done and turns them into a rate and an ETA over a sliding window.
final class ProgressMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var done: Int
    private let total: Int
    private var samples: [(time: Double, done: Int)] = []
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    /// Requests the sweep and the verification will make after the last add; the ETA counts each as one add.
    private let afterSendRequests: Int

    init(done: Int, total: Int, afterSendRequests: Int = 0) {
        self.done = done; self.total = total; self.afterSendRequests = afterSendRequests; start = clock.now
    }

    func add(_ n: Int = 1) { lock.lock(); done += n; lock.unlock() }

    var elapsed: Double {
        (clock.now - start).inSeconds
    }

    func sample(inFlight: Int, concurrency: Int, rateLimit: Double?) -> MigrationProgress {
        lock.lock(); defer { lock.unlock() }
        let t = elapsed
        samples.append((t, done))
        samples.removeAll { t - $0.time > 5 }
        var rate = 0.0
        if let first = samples.first, t - first.time > 0.2 { rate = Double(done - first.done) / (t - first.time) }
        let remaining = total - done
        // The ETA is to the end of the command, not of the send: the post-send requests are counted at the add rate.
        let eta: Double? = rate > 0 ? Double(remaining + afterSendRequests) / rate : (remaining == 0 ? 0 : nil)
        return MigrationProgress(done: done, total: total, rowsPerSecond: rate, etaSeconds: eta, inFlight: inFlight,
                                 concurrency: concurrency, rateLimit: rateLimit)
    }
}
