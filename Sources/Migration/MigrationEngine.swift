import Foundation
import GRDB
import Mem0Client
import Storage

/// Runs a migration (or its dry run) and reports it as one stream of `MigrationEvent`s.
///
/// Prints nothing and knows no UI. The order of work is what makes it safe:
/// 1. preflight — file, folder, lock and Mem0 (ping, key, dialect) are checked before anything changes;
/// 2. plan — every row classified, read-only;
/// 3. backup — a verified copy when asked (or implied by `skipBackupTable`);
/// 4. start — journal tables, the run record, `memories_metadata`, one journal row per legacy row, in one transaction;
/// 5. send — rows are marked `in_flight` in committed batches *before* their adds; each add's Mem0 id and its
///    `memories_metadata` row are committed together; an ambiguous failure is looked up by `legacy_id` before any
///    resend;
/// 6. sweep — rows that had an ambiguous failure are looked up again and any extra copies deleted;
/// 7. finalize — one transaction, only when every row is accounted for; a failed finalize rolls the run back.
public final class MigrationEngine: Sendable {
    public let file: URL
    /// nil only for a dry run planned without Mem0 (no key given): the plan then says what it could not check.
    public let client: Mem0Client?
    public let settings: MigrationSettings

    private let running = Locked<Task<Void, Never>?>(nil)
    private let stopSignal = StopSignal()

    public init(file: URL, client: Mem0Client?, settings: MigrationSettings) {
        self.file = file; self.client = client; self.settings = settings
    }

    /// Waits until the run has really stopped (after its consumer went away, the run still commits what it has).
    public func finished() async {
        await running.withLock { $0 }?.value
    }

    /// Asks the run to stop the way an operator means it: no new row is sent, the adds in flight finish (each within
    /// its request timeout) and are linked, unsent rows go back to pending, and the stream ends with
    /// `.ended(.stopped(...))` and reason `.cancelled`. Safe to call at any time, more than once.
    public func stop() {
        stopSignal.request(.cancelled(path: file.path))
    }

    /// Starts the run; it stops when the stream's consumer goes away. The last event is always `.ended`.
    public func events() -> AsyncStream<MigrationEvent> {
        AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let sink = EventSink(continuation)
            let task = Task {
                var failure: MigrationError?
                do {
                    try await self.perform(sink)
                } catch {
                    failure = MigrationFile.map(error, path: self.file.path)
                    sink.emit(.failed(failure!))
                }
                let seen = sink.seen.withLock { $0 }
                sink.emit(.ended(RunEnd.read(file: self.file, started: seen.started, dryRun: self.settings.dryRun,
                                             failure: failure, finalized: seen.finalized,
                                             verification: seen.verification)))
                sink.log.withLock { $0?.close() }
                continuation.finish()
            }
            running.withLock { $0 = task }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    // MARK: - The run

    private func perform(_ sink: EventSink) async throws {
        let database = try MigrationFile.open(file, forWriting: !settings.dryRun)
        defer { try? database.close() }
        let queue = database.writer
        let state = try MigrationFile.state(database)
        var resumeRun: MigrationRun?
        switch state {
        case .legacy:
            if settings.resume { throw MigrationError.nothingToResume(path: file.path) }
        case .partlyMigrated:
            let run = try await queue.read { try MigrationJournal.currentRun($0) }
            let counts = try await queue.read { db in try MigrationJournal.exists(db) ? MigrationJournal.counts(db) : JournalCounts() }
            guard let run, run.state == .running else {
                throw MigrationError.notLegacy(path: file.path, detail: "both memories and memories_metadata exist, but no migration run of memconsole is recorded")
            }
            guard settings.resume, !settings.dryRun else {
                throw MigrationError.partlyMigrated(path: file.path, runID: run.id, accounted: counts.accountedFor, total: counts.total)
            }
            resumeRun = run
        case .migrated:
            let counts = try await queue.read { db in try MigrationJournal.exists(db) ? MigrationJournal.counts(db) : JournalCounts() }
            let linked = counts.total > 0 ? counts.linked : try await queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM memories_metadata") ?? 0 }
            throw MigrationError.alreadyMigrated(linked: linked, duplicates: counts.duplicate, rejected: counts.rejected)
        default:
            let missing = try await queue.read { db in try StorageSchema.coreTables.filter { !(try db.tableExists($0)) } }
            throw MigrationFile.refusal(for: state, path: file.path, missingTables: missing)
        }
        if !settings.dryRun { try MigrationFile.checkWriteLock(database) }

        // Mem0 preflight: before the file changes. A dry run plans without Mem0 and says what it could not check.
        var unchecked: [String] = []
        var ping: Mem0Ping?
        if let client {
            do {
                ping = try await retryingMem0(attempts: settings.dryRun ? 1 : 3) { try await client.ping() }
            } catch let error as Mem0Error {
                guard settings.dryRun else { throw MigrationError.mem0(error, context: "(preflight; nothing was changed)") }
                unchecked.append("Mem0 did not answer (\(error.operatorMessage)): reachability, key and estimate not checked")
            }
        } else if settings.dryRun {
            unchecked.append("no API key given: Mem0's reachability, the key and the estimate were not checked")
        } else {
            throw MigrationError.mem0NotConfigured("No Mem0 client: a migration needs MEM0_API_KEY (or --api-key-file, or --no-api-key for an OSS server without auth).")
        }

        // One run per file at a time, across processes (released by the kernel if this process dies).
        let runLock = settings.dryRun ? nil : try RunLock.acquire(for: file)
        defer { runLock?.release() }

        if let run = resumeRun, let client {
            try await resume(run, queue: queue, client: client, sink: sink)
        } else {
            try await start(queue: queue, ping: ping, unchecked: unchecked, sink: sink)
        }
    }

    /// Which rows the target stores once: the Platform de-duplicates the same text for the same user whatever the
    /// profile; on OSS the run itself folds the same user, profile and text.
    private func duplicateScope(ping: Mem0Ping?) -> DuplicateScope? {
        switch ping?.dialect ?? client?.configuration.dialect ?? settings.dialect {
        case .platform: return .mem0UserAndText
        case .oss: return .userProfileAndText
        case .auto: return nil
        }
    }

    /// Plans, and for a real run backs up and starts the journal, then sends.
    private func start(queue: DatabaseQueue, ping: Mem0Ping?, unchecked: [String], sink: EventSink) async throws {
        let scope = duplicateScope(ping: ping)
        let planner = MigrationPlanner(mapping: settings.mapping, maxContentBytes: settings.maxContentBytes,
                                       duplicateScope: scope ?? .userProfileAndText)
        let plan = try await queue.read { try planner.plan($0) }
        var summary = plan.summary
        summary.notChecked = unchecked
        if scope == nil {
            let platform = MigrationPlanner(mapping: settings.mapping, maxContentBytes: settings.maxContentBytes,
                                            duplicateScope: .mem0UserAndText)
            let extra = try await queue.read { try platform.plan($0) }.summary.duplicates - summary.duplicates
            summary.notChecked.append("the dialect is not known (--dialect auto and no answer): duplicates are counted as on OSS (same user, profile and text); on the Platform \(extra) more rows would be duplicates (same user and text in another profile)")
        }
        let (rate, source) = estimatedRate(ping: ping)
        summary.assumedRate = rate
        summary.rateSource = source
        summary.estimatedSeconds = MigrationPlanner.estimate(rows: summary.migratable, rate: rate)

        let runID = MigrationFile.newRunID()
        guard !settings.dryRun, let client else {
            emitPlan(summary, plan: plan, sink: sink)
            return
        }
        let folder = settings.logDirectory ?? RunLog.folder(for: file)
        sink.attach(try RunLog(url: folder.appendingPathComponent("run-\(runID).log")))
        sink.note("migrate \(file.lastPathComponent) run=\(runID) endpoint=\(client.configuration.endpointDescription) dialect=\(ping?.dialect.rawValue ?? "?")")
        emitPlan(summary, plan: plan, sink: sink)
        if let reason = stopSignal.reason { throw reason }

        var backupPath: String?
        if settings.writesBackupFile {
            let url = BackupWriter.backupURL(for: file, runID: runID)
            let bytes = try BackupWriter.write(from: queue, to: url)
            backupPath = url.path
            sink.emit(.backupWritten(path: url.path, bytes: bytes))
        }

        let originalMode = try await queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "delete" }
        let run = MigrationRun(id: runID, state: .running, startedAt: ISOTime.string(from: Date()),
                               sourceFile: file.lastPathComponent, endpoint: client.configuration.endpointDescription,
                               dialect: ping?.dialect.rawValue ?? "auto", mapping: settings.mapping,
                               keepBackupTable: !settings.skipBackupTable, backupPath: backupPath,
                               legacyRowCount: summary.legacyRows, originalJournalMode: originalMode)
        // The file keeps its journal mode: a switch to WAL could not be undone while any other program (a console,
        // the chat app) has the file open, and the run must not leave a file in a mode it did not find.
        try await queue.write { db in
            try MigrationJournal.create(db)
            try MigrationJournal.insert(run: run, db)
            try LegacyTableDefinition.record(runID: runID, db)
            try StorageSchema.createMemoriesMetadataTable(in: db)
            try MigrationJournal.insert(plan: plan, runID: runID, db)
        }
        sink.emit(.runStarted(runID: runID, resumed: false, pendingRows: summary.migratable))
        try await send(run: run, queue: queue, client: client, sink: sink)
    }

    private func emitPlan(_ summary: MigrationPlanSummary, plan: MigrationPlan, sink: EventSink) {
        sink.emit(.planned(summary))
        for row in plan.rows {
            switch row.decision {
            case .migrate: break
            case .reject(let reason): sink.emit(.rowRejected(legacyID: row.legacyID, reason: reason))
            case .duplicate(let canonical): sink.emit(.duplicate(legacyID: row.legacyID, canonicalID: canonical))
            }
        }
    }

    /// Continues a run: rows that may have reached Mem0 are looked up first, then the rest is sent.
    private func resume(_ run: MigrationRun, queue: DatabaseQueue, client: Mem0Client, sink: EventSink) async throws {
        let folder = settings.logDirectory ?? RunLog.folder(for: file)
        sink.attach(try RunLog(url: folder.appendingPathComponent("run-\(run.id).log")))
        sink.note("resume \(file.lastPathComponent) run=\(run.id) endpoint=\(client.configuration.endpointDescription)")
        try await queue.write { db in
            try MigrationJournal.upgrade(db)
            // Refusals that were the account's, not the row's, are sent again (finalize refuses to cover them up).
            try MigrationJournal.returnToPending(try MigrationJournal.unexplainedRefusals(db), db)
        }
        let counts = try await queue.read { try MigrationJournal.counts($0) }
        sink.emit(.runStarted(runID: run.id, resumed: true, pendingRows: counts.pending + counts.inFlight))
        try await send(run: run, queue: queue, client: client, sink: sink)
    }

    private func estimatedRate(ping: Mem0Ping?) -> (Double, String) {
        guard let ping else { return (0, "not measured: Mem0 was not reached") }
        let rtt = max(seconds(ping.roundTrip), 0.0005)
        // One add costs the round trip plus the server's own work (~6 ms for the real mem0 library, measured in
        // docs/benchmarks.md); a serialised server caps the rate at about 1/6 ms whatever the concurrency.
        let concurrency = Double(settings.concurrency ?? settings.initialConcurrency)
        var rate = min(concurrency / (rtt + 0.006), 1 / 0.006)
        var source = String(format: "ping %.1f ms × concurrency %d, server ceiling ~170/s", rtt * 1000, Int(concurrency))
        if let cap = settings.rateCap, cap < rate { rate = cap; source = "--rate" }
        return (rate, source)
    }

    // MARK: - Sending

    private func send(run: MigrationRun, queue: DatabaseQueue, client: Mem0Client, sink: EventSink) async throws {
        let counts = try await queue.read { try MigrationJournal.counts($0) }
        let meter = ProgressMeter(done: counts.accountedFor, total: counts.total)
        let flow = FlowController(initialConcurrency: settings.concurrency ?? settings.initialConcurrency,
                                  fixedConcurrency: settings.concurrency != nil,
                                  maximumConcurrency: settings.concurrency ?? settings.maximumConcurrency,
                                  rateCap: settings.rateCap, stop: stopSignal)
        let writer = LinkWriter(queue: queue, sink: sink, meter: meter, batchSize: settings.linkBatchSize)
        let sender = RowSender(client: client, run: run, queue: queue, writer: writer, flow: flow, sink: sink,
                               meter: meter, settings: settings, stop: stopSignal)
        let source = WorkSource(queue: queue, chunk: settings.claimChunk, stop: stopSignal)

        let ticker = Task {
            var lastLog = 0.0
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(settings.linkFlushInterval * 1e9))
                try? await writer.flush()
                let p = meter.sample(inFlight: await flow.inFlight, concurrency: await flow.concurrencyLimit,
                                     rateLimit: await flow.rate)
                if meter.elapsed - lastLog >= 0.5 { sink.emit(.progress(p)); lastLog = meter.elapsed }
            }
        }
        defer { ticker.cancel() }

        do {
            // Rows a crash (or an earlier failure) left in flight may be in Mem0: look them up before anything else.
            let unconfirmed = try await queue.read { try MigrationJournal.ids(in: .inFlight, $0) }
            if !unconfirmed.isEmpty {
                try await sender.reconcileUnconfirmed(unconfirmed, source: source)
            }
            let workers = settings.concurrency ?? settings.maximumConcurrency
            try await withThrowingTaskGroup(of: Void.self) { group in
                for slot in 0..<workers {
                    group.addTask {
                        while true {
                            guard try await flow.waitForTurn(slot: slot) else { return }
                            guard let item = try await source.next() else {
                                await flow.cancelTurn(); await flow.close(); return
                            }
                            try await sender.process(item, slot: slot, holdingTurn: true)
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await writer.flush()
        } catch {
            try? await writer.flush()   // whatever was confirmed is kept: resume starts from there
            try? await source.returnUnsent()
            throw error
        }
        if let reason = stopSignal.reason {
            // A stop (the operator's, or a refusal of the account): rows claimed but never sent go back to pending;
            // rows whose add may have landed stay in flight, and resume looks them up first.
            try await source.returnUnsent()
            ticker.cancel()
            sink.emit(.progress(meter.sample(inFlight: 0, concurrency: await flow.concurrencyLimit, rateLimit: await flow.rate)))
            throw reason
        }
        ticker.cancel()
        sink.emit(.progress(meter.sample(inFlight: 0, concurrency: await flow.concurrencyLimit, rateLimit: await flow.rate)))

        try await sender.sweepAmbiguous()
        try await Finalizer(file: file, queue: queue, client: client, sink: sink).finalize(run: run)
        if let sample = settings.verifySample, sample > 0 {
            let result = try await Verifier(file: file, queue: queue, client: client).verify(sample: sample)
            sink.emit(.verified(result))
        }
    }
}

/// A request to stop a run, and why: the operator's cancel, or Mem0 refusing the account. The first reason wins.
final class StopSignal: Sendable {
    private let requested = Locked<MigrationError?>(nil)

    func request(_ reason: MigrationError) {
        requested.withLock { if $0 == nil { $0 = reason } }
    }

    var reason: MigrationError? { requested.withLock { $0 } }
    var isRequested: Bool { reason != nil }
}

/// One row ready to send: its legacy values, where it goes, and the duplicates it stands for.
struct WorkItem: Sendable {
    var row: LegacyRow
    var mem0UserID: String
    var duplicateIDs: [Int64]
    /// The Platform event of an add that was queued (`PENDING`), when one was recorded.
    var eventID: String?
}

/// Hands out rows to send, claiming them from the journal in committed batches: a row is `in_flight` on disk before
/// any request for it leaves.
actor WorkSource {
    private let queue: DatabaseQueue
    private let chunk: Int
    private let stop: StopSignal
    private var buffer: [WorkItem] = []
    private var exhausted = false

    init(queue: DatabaseQueue, chunk: Int, stop: StopSignal) { self.queue = queue; self.chunk = chunk; self.stop = stop }

    func next() async throws -> WorkItem? {
        while buffer.isEmpty {
            if exhausted || stop.isRequested { return nil }
            let chunk = self.chunk
            let claimed = try await queue.write { db -> [WorkItem] in
                let ids = try MigrationJournal.claimPending(limit: chunk, db)
                return try WorkSource.items(ids: ids, db)
            }
            if claimed.isEmpty { exhausted = true } else { buffer.append(contentsOf: claimed) }
        }
        if stop.isRequested { return nil }
        return buffer.removeFirst()
    }

    /// Puts rows that were claimed but never handed to a sender back to pending: no request for them ever left.
    func returnUnsent() async throws {
        exhausted = true
        let ids = buffer.map(\.row.id)
        buffer = []
        guard !ids.isEmpty else { return }
        try await queue.write { try MigrationJournal.setState(.pending, ids: ids, $0) }
    }

    /// Re-reads rows (already claimed) for sending or linking.
    static func items(ids: [Int64], _ db: Database) throws -> [WorkItem] {
        guard !ids.isEmpty else { return [] }
        let rows = try LegacyRow.fetch(ids: ids, table: "memories", in: db)
        let duplicates = try MigrationJournal.duplicates(of: ids, db)
        let users = try Row.fetchAll(db, sql: """
            SELECT legacy_id, mem0_user_id, event_id FROM memconsole_migration_journal
            WHERE legacy_id IN (\(ids.map(String.init).joined(separator: ",")))
            """)
        var userByID: [Int64: (user: String, event: String?)] = [:]
        for row in users { userByID[row["legacy_id"]] = (row["mem0_user_id"], row["event_id"]) }
        return rows.compactMap { row in
            guard let entry = userByID[row.id] else { return nil }
            return WorkItem(row: row, mem0UserID: entry.user, duplicateIDs: duplicates[row.id] ?? [], eventID: entry.event)
        }
    }
}

/// Commits links in batches: the journal's `linked` state and the `memories_metadata` row of each link go in the
/// same transaction, so a crash leaves either both or neither (then the row is still `in_flight`, and resume finds
/// the memory by its legacy id).
actor LinkWriter {
    struct Link: Sendable { var item: WorkItem; var mem0ID: String }
    private let queue: DatabaseQueue
    private let sink: EventSink
    private let meter: ProgressMeter
    private let batchSize: Int
    private var buffer: [Link] = []

    init(queue: DatabaseQueue, sink: EventSink, meter: ProgressMeter, batchSize: Int) {
        self.queue = queue; self.sink = sink; self.meter = meter; self.batchSize = batchSize
    }

    func add(_ link: Link) async throws {
        buffer.append(link)
        if buffer.count >= batchSize { try await flush() }
    }

    private var inProgress: Task<Void, Error>?

    /// Commits everything buffered. Flushes never overlap: a caller that finds one running waits for it, so "flush
    /// returned" always means "every link added before the call is committed" (finalize relies on that).
    func flush() async throws {
        while let running = inProgress {
            _ = try? await running.value   // its failure is reported to the flush that started it
            if inProgress == running { inProgress = nil }   // finished: do not spin on a completed task
        }
        guard !buffer.isEmpty else { return }
        let batch = buffer
        buffer = []
        let queue = self.queue
        let task = Task {
            try await queue.write { db in
                for link in batch {
                    try MigrationJournal.markLinked(link.item.row.id, mem0ID: link.mem0ID, db)
                    var record = LinkWriter.metadataRecord(for: link)
                    try record.insert(db)
                }
            }
        }
        inProgress = task
        defer { if inProgress == task { inProgress = nil } }
        do {
            try await task.value
        } catch {
            buffer.insert(contentsOf: batch, at: 0)
            throw error
        }
        meter.add(batch.count)
        for link in batch { sink.emit(.rowLinked(legacyID: link.item.row.id, mem0ID: link.mem0ID)) }
    }

    /// The local half of a migrated memory. Same id as the legacy row (so references keep working); tags as a
    /// normalised JSON array; dates copied exactly as stored; an orphan profile id becomes NULL (the id itself is kept
    /// in the Mem0 metadata as `legacy_profile_id`).
    static func metadataRecord(for link: Link) -> MemoryMetadata {
        let row = link.item.row
        return MemoryMetadata(id: row.id, userID: row.userID ?? 0,
                              profileID: row.profileExists ? row.profileID : nil,
                              mem0MemoryID: link.mem0ID, memoryType: row.memoryType,
                              tags: LegacyTags(row.tags), createdAt: row.createdAtStored,
                              updatedAt: row.updatedAtStored)
    }
}
