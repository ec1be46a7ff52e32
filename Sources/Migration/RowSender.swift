import Foundation
import GRDB
import Mem0Client

/// Sends one row at a time to Mem0 exactly once, whatever the network does.
///
/// The rule: an add that may have been applied (timeout, dropped connection, 5xx, an unreadable success) is never
/// sent again before a lookup by `legacy_id` (filtered to this run) says it is not there. A 429 is answered before the
/// server applies anything, so it is resent after the pause. A 4xx that is not about rate or auth rejects the row.
final class RowSender: Sendable {
    let client: Mem0Client
    let run: MigrationRun
    let queue: DatabaseQueue
    let writer: LinkWriter
    let flow: FlowController
    let sink: EventSink
    let meter: ProgressMeter
    let settings: MigrationSettings
    /// Time (meter clock) of the last ambiguous failure, so the sweep can wait for late arrivals.
    private let lastAmbiguous = Locked<Double?>(nil)

    init(client: Mem0Client, run: MigrationRun, queue: DatabaseQueue, writer: LinkWriter, flow: FlowController,
         sink: EventSink, meter: ProgressMeter, settings: MigrationSettings) {
        self.client = client; self.run = run; self.queue = queue; self.writer = writer; self.flow = flow
        self.sink = sink; self.meter = meter; self.settings = settings
    }

    private var sourceFile: String { run.sourceFile }

    /// Sends `item` until it is linked or rejected. The caller holds one flow turn on entry.
    func process(_ item: WorkItem, slot: Int, holdingTurn: Bool) async throws {
        let id = item.row.id
        var attempt = 0
        var mayHaveLanded = false
        var holding = holdingTurn
        var lastProblem = ""
        while true {
            attempt += 1
            if attempt > settings.maxAttemptsPerRow {
                if holding { await flow.cancelTurn() }
                throw MigrationError.rowKeepsFailing(legacyID: id, detail: lastProblem)
            }
            if mayHaveLanded {
                if holding { await flow.cancelTurn(); holding = false }
                do {
                    if try await reconcile(item) { return }
                } catch let error as Mem0Error {
                    lastProblem = error.operatorMessage
                    if error == .unauthorized { throw MigrationError.mem0Refused(error.operatorMessage) }
                    sink.emit(.retry(legacyID: id, attempt: attempt, reason: "lookup: \(short(error))"))
                    try await backoff(attempt)
                    continue
                }
                mayHaveLanded = false
            }
            if !holding { _ = try await flow.waitForTurn(slot: slot, force: true) }
            holding = false
            let request = item.row.addRequest(mem0UserID: item.mem0UserID, runID: run.id, sourceFile: sourceFile,
                                              duplicateIDs: item.duplicateIDs)
            let started = ContinuousClock.now
            do {
                let outcome = try await client.addReportingResends(request)
                let latency = seconds(ContinuousClock.now - started)
                await flow.finish(.accepted, latency: latency)
                if outcome.mayHaveBeenSentTwice {
                    // libcurl may have re-sent it on a new connection: the final sweep looks this row up.
                    lastAmbiguous.withLock { $0 = meter.elapsed }
                    try await queue.write { try MigrationJournal.markAmbiguous(id, $0) }
                }
                switch outcome.result {
                case .created(let ids):
                    guard let mem0ID = ids.first else {
                        lastProblem = "the add returned no id"; mayHaveLanded = true; continue
                    }
                    for extra in ids.dropFirst() { _ = try? await client.delete(id: extra) }
                    try await writer.add(LinkWriter.Link(item: item, mem0ID: mem0ID))
                    return
                case .deduplicated:
                    // The Platform already holds identical text in this scope: find ours by its legacy id.
                    if try await reconcile(item) { return }
                    try await reject(id, .refusedByMem0("the Platform de-duplicated it: identical text is already stored for user \(item.mem0UserID), not by this run"))
                    return
                }
            } catch let error as Mem0Error {
                lastProblem = error.operatorMessage
                switch error {
                case .rateLimited(let retryAfter):
                    let wait = retryAfter.map(seconds)
                    let (changed, pace) = await flow.finish(.rateLimited(retryAfter: wait))
                    if changed { sink.emit(.rateLimited(retryAfterSeconds: wait, newRate: pace)) }
                    sink.emit(.retry(legacyID: id, attempt: attempt, reason: "429"))
                    attempt -= 1   // a 429 is pacing, not a failure of this row
                    continue
                case .unauthorized:
                    await flow.finish(.accepted)
                    throw MigrationError.mem0Refused(error.operatorMessage)
                case .server(let status, _, let message) where (400..<500).contains(status) && status != 408:
                    await flow.finish(.accepted)
                    try await reject(id, .refusedByMem0("HTTP \(status)\(message.map { ": \($0)" } ?? "")"))
                    return
                default:
                    await flow.finish(.overloaded)
                    if error.addMayHaveLanded || isBadResponse(error) {
                        mayHaveLanded = true
                        lastAmbiguous.withLock { $0 = meter.elapsed }
                        try await queue.write { try MigrationJournal.markAmbiguous(id, $0) }
                    }
                    sink.emit(.retry(legacyID: id, attempt: attempt, reason: short(error)))
                    try await backoff(attempt)
                }
            }
        }
    }

    /// Looks the row up by `legacy_id` (this run's copies only). Links it when found (deleting extra copies) and
    /// returns true; returns false when Mem0 has no copy.
    func reconcile(_ item: WorkItem) async throws -> Bool {
        let found = try await copies(of: item.row.id, user: item.mem0UserID)
        guard let keep = found.first else {
            sink.emit(.reconciled(legacyID: item.row.id, outcome: .notFound))
            return false
        }
        let extras = Array(found.dropFirst())
        for extra in extras { _ = try await retryingMem0 { try await self.client.delete(id: extra) } }
        sink.emit(.reconciled(legacyID: item.row.id,
                              outcome: extras.isEmpty ? .found(mem0ID: keep) : .foundDuplicates(kept: keep, deleted: extras)))
        try await writer.add(LinkWriter.Link(item: item, mem0ID: keep))
        return true
    }

    /// Ids of this run's memories carrying `legacy_id`, oldest id first (a stable choice of which to keep).
    func copies(of legacyID: Int64, user: String) async throws -> [String] {
        try await Mem0Lookup.copies(of: legacyID, user: user, runID: run.id, client: client)
    }

    /// After a crash: every row left `in_flight` is looked up; found ones are linked, the rest go back to pending.
    func reconcileUnconfirmed(_ ids: [Int64], source: WorkSource) async throws {
        lastAmbiguous.withLock { $0 = meter.elapsed }
        for chunk in stride(from: 0, to: ids.count, by: 64).map({ Array(ids[$0..<min($0 + 64, ids.count)]) }) {
            let items = try await queue.read { try WorkSource.items(ids: chunk, $0) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, item) in items.enumerated() {
                    if index >= 8 { try await group.next() }
                    group.addTask { try await self.reconcileWithRetry(item) }
                }
                try await group.waitForAll()
            }
            try await writer.flush()
            try await queue.write { db in
                let stillInFlight = try Int64.fetchAll(db, sql: """
                    SELECT legacy_id FROM memconsole_migration_journal WHERE state = 'in_flight'
                    AND legacy_id IN (\(chunk.map(String.init).joined(separator: ",")))
                    """)
                try MigrationJournal.setState(.pending, ids: stillInFlight, db)
                // Not found now, but the dead run's last request may still land: look again before finalizing.
                for id in stillInFlight { try MigrationJournal.markAmbiguous(id, db) }
            }
        }
    }

    private func reconcileWithRetry(_ item: WorkItem) async throws {
        var attempt = 0
        while true {
            attempt += 1
            do {
                _ = try await reconcile(item)
                return
            } catch let error as Mem0Error {
                if error == .unauthorized { throw MigrationError.mem0Refused(error.operatorMessage) }
                if attempt >= settings.maxAttemptsPerRow { throw MigrationError.mem0Unavailable(error.operatorMessage) }
                try await backoff(attempt)
            }
        }
    }

    /// The final duplicate sweep, before finalize: every user's memories of this run are listed and any copy that is
    /// not the linked memory of its legacy row is deleted.
    ///
    /// Copies can exist that the engine never saw an error for: libcurl silently re-sends a request whose reused
    /// connection closed before any answer (measured through the fault proxy's "drop after upstream"; the client
    /// flags such adds with `mayHaveBeenSentTwice` and they are marked ambiguous), and a request held by a stalled
    /// path can land after its lookup. When a row had an ambiguous failure the sweep first waits
    /// `sweepDelay` so late arrivals are visible. Where the OSS server cannot list a user completely (≥ 1000
    /// memories), that user's ambiguous rows are looked up one by one instead.
    func sweepAmbiguous() async throws {
        let ambiguous = try await queue.read { try MigrationJournal.entries(where: "ambiguous = 1 AND state = 'linked'", $0) }
        if !ambiguous.isEmpty, let last = lastAmbiguous.withLock({ $0 }) {
            let wait = settings.sweepDelay - (meter.elapsed - last)
            if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
        }
        do { try await sweep(ambiguous: ambiguous) } catch let error as Mem0Error {
            throw MigrationError.mem0Unavailable(error.operatorMessage + " (during the final duplicate sweep; resume to finish)")
        }
    }

    private func sweep(ambiguous: [MigrationJournal.Entry]) async throws {
        let linked = try await queue.read { db -> [Int64: String] in
            var map: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT legacy_id, mem0_memory_id FROM memconsole_migration_journal WHERE state = 'linked'") {
                map[row["legacy_id"]] = row["mem0_memory_id"]
            }
            return map
        }
        let users = try await queue.read {
            try String.fetchAll($0, sql: "SELECT DISTINCT mem0_user_id FROM memconsole_migration_journal WHERE state IN ('linked', 'rejected') AND mem0_user_id IS NOT NULL")
        }
        let run = JSONValue.string(self.run.id)
        var uncounted = Set<String>()
        let meter = PhaseMeter(.sweep, unit: "users", sink: sink)
        meter.update(done: 0, total: users.count)
        for (index, user) in users.enumerated() {
            defer { meter.update(done: index + 1, total: users.count) }
            let list = try await retryingMem0 { try await self.client.memories(userID: user) }
            if list.truncated { uncounted.insert(user) }
            var extrasByRow: [Int64: [String]] = [:]
            for memory in list.memories where memory.metadata[Mem0MetadataKey.runID] == run {
                guard let legacyID = memory.metadata[Mem0MetadataKey.legacyID]?.int64Value else { continue }
                if linked[legacyID] != memory.id { extrasByRow[legacyID, default: []].append(memory.id) }
            }
            for (legacyID, extras) in extrasByRow.sorted(by: { $0.key < $1.key }) {
                for extra in extras { _ = try await retryingMem0 { try await self.client.delete(id: extra) } }
                sink.emit(.reconciled(legacyID: legacyID, outcome: .foundDuplicates(kept: linked[legacyID] ?? "-", deleted: extras)))
            }
        }
        for entry in ambiguous {
            guard let user = entry.mem0UserID, uncounted.contains(user), let kept = entry.mem0MemoryID else { continue }
            let extras = try await copies(of: entry.legacyID, user: user).filter { $0 != kept }
            guard !extras.isEmpty else { continue }
            for extra in extras { _ = try await retryingMem0 { try await self.client.delete(id: extra) } }
            sink.emit(.reconciled(legacyID: entry.legacyID, outcome: .foundDuplicates(kept: kept, deleted: extras)))
        }
    }

    private func reject(_ id: Int64, _ reason: RejectionReason) async throws {
        try await queue.write { try MigrationJournal.markRejected(id, reason: reason, $0) }
        meter.add()
        sink.emit(.rowRejected(legacyID: id, reason: reason))
    }

    func backoff(_ attempt: Int) async throws {
        let ceiling = min(0.25 * pow(2, Double(max(attempt - 1, 0))), 5)
        try await Task.sleep(nanoseconds: UInt64(Double.random(in: ceiling / 2...ceiling) * 1e9))
    }

    private func isBadResponse(_ error: Mem0Error) -> Bool {
        if case .badResponse = error { return true }
        return false
    }

    private func short(_ error: Mem0Error) -> String {
        switch error {
        case .timeout: return "timeout"
        case .connectionLost: return "connection lost"
        case .unreachable: return "unreachable"
        case .server(let status, let code, _): return "HTTP \(status)\(code.map { " \($0)" } ?? "")"
        case .rateLimited: return "429"
        case .unauthorized: return "401"
        case .badResponse: return "unreadable answer"
        }
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
