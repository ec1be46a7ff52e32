import Foundation
import Mem0Client

/// What the operator asked for (`memconsole migrate` flags), plus tuning the tests and benchmarks set.
public struct MigrationSettings: Sendable {
    /// Classify and estimate only; open the file read-only, write nothing anywhere.
    public var dryRun = false
    /// Write a verified copy of the file before changing it (`--backup`).
    public var makeBackup = false
    /// Drop the legacy table at finalize instead of keeping it as `memories_backup`. Implies a backup file.
    public var skipBackupTable = false
    /// Continue an interrupted run.
    public var resume = false
    /// A fixed number of requests in flight; nil = adaptive (start at `initialConcurrency`, AIMD between 1 and 64).
    public var concurrency: Int?
    public var initialConcurrency = 8
    public var maximumConcurrency = 64
    /// At most this many requests per second (`--rate`).
    public var rateCap: Double?
    public var mapping = Mem0UserMapping()
    /// The dialect the operator named (`--dialect`), for a dry run planned without a client: the plan applies that
    /// target's de-duplication. A client's configuration or the ping's answer wins when there is one.
    public var dialect: Mem0Dialect = .auto
    public var maxContentBytes = RowClassifier.defaultMaxContentBytes
    /// Links are committed together when this many are waiting, or every `linkFlushInterval` seconds.
    public var linkBatchSize = 256
    public var linkFlushInterval = 0.1
    /// Rows marked in flight (the intent) per claim.
    public var claimChunk = 32
    /// Tries per row before the run stops (resumable) — transient failures only.
    public var maxAttemptsPerRow = 12
    /// Polls of a queued Platform add's event (backoff 0.2 s doubling to 2 s: about ten minutes) before the run
    /// stops, resumable; resume polls the same event again.
    public var maxEventPolls = 300
    /// After finalize, fetch this many random links and compare them (nil: skip; `memconsole verify` does it all).
    public var verifySample: Int? = 50
    /// Seconds to wait before the final duplicate sweep, so a request that landed late (a stalled connection) is seen.
    public var sweepDelay = 2.0
    /// The run log folder; default `<file>.memconsole-logs`.
    public var logDirectory: URL?

    public init() {}

    /// Whether a backup file is written: asked for, or implied because the legacy table will be dropped.
    public var writesBackupFile: Bool { makeBackup || skipBackupTable }
}
