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
    public let client: Mem0Client
    public let settings: MigrationSettings

    private let running = Locked<Task<Void, Never>?>(nil)

    public init(file: URL, client: Mem0Client, settings: MigrationSettings) {
        self.file = file; self.client = client; self.settings = settings
    }

    /// Waits until the run has really stopped (after its consumer went away, the run still commits what it has).
    public func finished() async {
        await running.withLock { $0 }?.value
    }

    /// Starts the run; it stops when the stream's consumer goes away.
    public func events() -> AsyncStream<MigrationEvent> {
        AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let sink = EventSink(continuation)
            let task = Task {
                do {
                    try await self.perform(sink)
                } catch is CancellationError {
                    sink.emit(.failed(.database("the run was interrupted; resume it with 'memconsole migrate --resume'")))
                } catch {
                    sink.emit(.failed(MigrationFile.map(error, path: self.file.path)))
                }
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
            guard settings.resume else {
                throw MigrationError.partlyMigrated(path: file.path, runID: run.id, accounted: counts.accountedFor, total: counts.total)
            }
            guard !settings.dryRun else {
                throw MigrationError.partlyMigrated(path: file.path, runID: run.id, accounted: counts.accountedFor, total: counts.total)
            }
            resumeRun = run
        case .migrated:
            let counts = try await queue.read { db in try MigrationJournal.exists(db) ? MigrationJournal.counts(db) : JournalCounts() }
            let linked = counts.total > 0 ? counts.linked : try await queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM memories_metadata") ?? 0 }
            throw MigrationError.alreadyMigrated(linked: linked, duplicates: counts.duplicate, rejected: counts.rejected)
        default:
            throw MigrationError.notLegacy(path: file.path, detail: state.summary)
        }
        if !settings.dryRun { try MigrationFile.checkWriteLock(database) }

        // Mem0 preflight: before the file changes (a dry run plans without it, and says so).
        let ping: Mem0Ping?
        do {
            ping = try await retryingMem0(attempts: 3) { try await self.client.ping() }
        } catch let error as Mem0Error {
            guard settings.dryRun else {
                if error == .unauthorized { throw MigrationError.mem0Refused(error.operatorMessage) }
                throw MigrationError.mem0Unavailable(error.operatorMessage)
            }
            ping = nil
        }

        // One run per file at a time, across processes (released by the kernel if this process dies).
        let runLock = settings.dryRun ? nil : try RunLock.acquire(for: file)
        defer { runLock?.release() }

        if let run = resumeRun {
            try await resume(run, queue: queue, sink: sink)
        } else {
            try await start(queue: queue, ping: ping, sink: sink)
        }
    }

    /// Plans, and for a real run backs up and starts the journal, then sends.
    private func start(queue: DatabaseQueue, ping: Mem0Ping?, sink: EventSink) async throws {
        let planner = MigrationPlanner(mapping: settings.mapping, maxContentBytes: settings.maxContentBytes)
        let planMeter = PhaseMeter(.plan, unit: "rows", sink: sink)
        let plan = try await queue.read { try planner.plan($0, progress: planMeter.update) }
        var summary = plan.summary
        let (rate, source) = estimatedRate(ping: ping)
        summary.assumedRate = rate
        summary.rateSource = source
        summary.estimatedSeconds = MigrationPlanner.estimate(rows: summary.migratable, rate: rate)

        let runID = MigrationFile.newRunID()
        if !settings.dryRun {
            let folder = settings.logDirectory ?? RunLog.folder(for: file)
            sink.attach(try RunLog(url: folder.appendingPathComponent("run-\(runID).log")))
            sink.note("migrate \(file.lastPathComponent) run=\(runID) endpoint=\(client.configuration.endpointDescription) dialect=\(ping?.dialect.rawValue ?? "?")")
        }
        sink.emit(.planned(summary))
        for row in plan.rows {
            switch row.decision {
            case .migrate: break
            case .reject(let reason): sink.emit(.rowRejected(legacyID: row.legacyID, reason: reason))
            case .duplicate(let canonical): sink.emit(.duplicate(legacyID: row.legacyID, canonicalID: canonical))
            }
        }
        if settings.dryRun { return }

        var backupPath: String?
        if settings.writesBackupFile {
            let url = BackupWriter.backupURL(for: file, runID: runID)
            let backupMeter = PhaseMeter(.backup, unit: "pages", sink: sink)
            let bytes = try BackupWriter.write(from: queue, to: url, progress: backupMeter.update)
            backupPath = url.path
            sink.emit(.backupWritten(path: url.path, bytes: bytes))
        }

        let originalMode = try await queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "delete" }
        let run = MigrationRun(id: runID, state: .running, startedAt: ISOTime.string(from: Date()),
                               sourceFile: file.lastPathComponent, endpoint: client.configuration.endpointDescription,
                               dialect: ping?.dialect.rawValue ?? "auto", mapping: settings.mapping,
                               keepBackupTable: !settings.skipBackupTable, backupPath: backupPath,
                               legacyRowCount: summary.legacyRows, originalJournalMode: originalMode)
        try await queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
        try await queue.write { db in
            try MigrationJournal.create(db)
            try MigrationJournal.insert(run: run, db)
            try LegacyTableDefinition.record(runID: runID, db)
            try StorageSchema.createMemoriesMetadataTable(in: db)
            try MigrationJournal.insert(plan: plan, runID: runID, db)
        }
        sink.emit(.runStarted(runID: runID, resumed: false, pendingRows: summary.migratable))
        try await send(run: run, queue: queue, sink: sink)
    }

    /// Continues a run: rows that may have reached Mem0 are looked up first, then the rest is sent.
    private func resume(_ run: MigrationRun, queue: DatabaseQueue, sink: EventSink) async throws {
        let folder = settings.logDirectory ?? RunLog.folder(for: file)
        sink.attach(try RunLog(url: folder.appendingPathComponent("run-\(run.id).log")))
        sink.note("resume \(file.lastPathComponent) run=\(run.id) endpoint=\(client.configuration.endpointDescription)")
        try await queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
        let counts = try await queue.read { try MigrationJournal.counts($0) }
        sink.emit(.runStarted(runID: run.id, resumed: true, pendingRows: counts.pending + counts.inFlight))
        try await send(run: run, queue: queue, sink: sink)
    }

    private func estimatedRate(ping: Mem0Ping?) -> (Double, String) {
        guard let ping else { return (0, "not measured: Mem0 did not answer the ping") }
        let rtt = max(Double(ping.roundTrip.components.seconds) + Double(ping.roundTrip.components.attoseconds) / 1e18, 0.0005)
        // One add costs the round trip plus the server's own work (~6 ms for the real mem0 library, measured in
        // spec mem0-local.md); a serialised server caps the rate at about 1/6 ms whatever the concurrency.
        let concurrency = Double(settings.concurrency ?? settings.initialConcurrency)
        var rate = min(concurrency / (rtt + 0.006), 1 / 0.006)
        var source = String(format: "ping %.1f ms × concurrency %d, server ceiling ~170/s", rtt * 1000, Int(concurrency))
        if let cap = settings.rateCap, cap < rate { rate = cap; source = "--rate" }
        return (rate, source)
    }

    // MARK: - Sending

    private func send(run: MigrationRun, queue: DatabaseQueue, sink: EventSink) async throws {
        let counts = try await queue.read { try MigrationJournal.counts($0) }
        let meter = ProgressMeter(done: counts.accountedFor, total: counts.total)
        let flow = FlowController(initialConcurrency: settings.concurrency ?? settings.initialConcurrency,
                                  fixedConcurrency: settings.concurrency != nil,
                                  maximumConcurrency: settings.concurrency ?? settings.maximumConcurrency,
                                  rateCap: settings.rateCap)
        let writer = LinkWriter(queue: queue, sink: sink, meter: meter, batchSize: settings.linkBatchSize)
        let sender = RowSender(client: client, run: run, queue: queue, writer: writer, flow: flow, sink: sink,
                               meter: meter, settings: settings)
        let source = WorkSource(queue: queue, chunk: settings.claimChunk)

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
            throw error
        }
        ticker.cancel()
        sink.emit(.progress(meter.sample(inFlight: 0, concurrency: await flow.concurrencyLimit, rateLimit: await flow.rate)))

        try await sender.sweepAmbiguous()
        try await Finalizer(file: file, queue: queue, client: client, sink: sink).finalize(run: run)
        if let sample = settings.verifySample, sample > 0 {
            let result = try await Verifier(file: file, queue: queue, client: client) { sink.emit(.phaseProgress($0)) }
                .verify(sample: sample)
            sink.emit(.verified(result))
        }
    }
}

/// One row ready to send: its legacy values, where it goes, and the duplicates it stands for.
struct WorkItem: Sendable {
    var row: LegacyRow
    var mem0UserID: String
    var duplicateIDs: [Int64]
}

/// Hands out rows to send, claiming them from the journal in committed batches: a row is `in_flight` on disk before
/// any request for it leaves.
actor WorkSource {
    private let queue: DatabaseQueue
    private let chunk: Int
    private var buffer: [WorkItem] = []
    private var exhausted = false

    init(queue: DatabaseQueue, chunk: Int) { self.queue = queue; self.chunk = chunk }

    func next() async throws -> WorkItem? {
        while buffer.isEmpty {
            if exhausted { return nil }
            let chunk = self.chunk
            let claimed = try await queue.write { db -> [WorkItem] in
                let ids = try MigrationJournal.claimPending(limit: chunk, db)
                return try WorkSource.items(ids: ids, db)
            }
            if claimed.isEmpty { exhausted = true } else { buffer.append(contentsOf: claimed) }
        }
        return buffer.removeFirst()
    }

    /// Re-reads rows (already claimed) for sending or linking.
    static func items(ids: [Int64], _ db: Database) throws -> [WorkItem] {
        guard !ids.isEmpty else { return [] }
        let rows = try LegacyRow.fetch(ids: ids, table: "memories", in: db)
        let duplicates = try MigrationJournal.duplicates(of: ids, db)
        let users = try Row.fetchAll(db, sql: """
            SELECT legacy_id, mem0_user_id FROM memconsole_migration_journal
            WHERE legacy_id IN (\(ids.map(String.init).joined(separator: ",")))
            """)
        var userByID: [Int64: String] = [:]
        for row in users { userByID[row["legacy_id"]] = row["mem0_user_id"] }
        return rows.compactMap { row in
            guard let user = userByID[row.id] else { return nil }
            return WorkItem(row: row, mem0UserID: user, duplicateIDs: duplicates[row.id] ?? [])
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
