import Foundation
import GRDB
import Mem0Client

/// Sends one row at a time to Mem0 exactly once, whatever the network does.
///
/// The rule: an add that may have been applied (timeout, dropped connection, 5xx, an unreadable success) is never
/// sent again before a lookup by `legacy_id` (filtered to this run) says it is not there. A 429 is answered before the
/// server applies anything, so it is resent after the pause.
///
/// Which refusals are the row's and which the account's (docs/migration.md, "Refusals"): 400 and 422 describe the
/// request body, so they reject that row; 401, 402, 403, 404, 405 and 413 say the key, the plan, the quota or the URL
/// is wrong whatever the row, so they stop the run at once, resumable, and the row goes back to pending. Any other
/// 4xx rejects its row, but `RefusalBreaker.threshold` of them in a row with the same status (and no success between)
/// stop the run the same way, and the rows of that streak go back to pending: they were never explained by their row.
final class RowSender: Sendable {
    let client: Mem0Client
    let run: MigrationRun
    let queue: DatabaseQueue
    let writer: LinkWriter
    let flow: FlowController
    let sink: EventSink
    let meter: ProgressMeter
    let settings: MigrationSettings
    let stop: StopSignal
    private let breaker = Locked(RefusalBreaker())
    /// Time (meter clock) of the last ambiguous failure, so the sweep can wait for late arrivals.
    private let lastAmbiguous = Locked<Double?>(nil)

    init(client: Mem0Client, run: MigrationRun, queue: DatabaseQueue, writer: LinkWriter, flow: FlowController,
         sink: EventSink, meter: ProgressMeter, settings: MigrationSettings, stop: StopSignal) {
        self.client = client; self.run = run; self.queue = queue; self.writer = writer; self.flow = flow
        self.sink = sink; self.meter = meter; self.settings = settings; self.stop = stop
    }

    private var sourceFile: String { run.sourceFile }

    /// Sends `item` until it is linked or rejected, or until the run is asked to stop. The caller holds one flow turn
    /// on entry.
    func process(_ item: WorkItem, slot: Int, holdingTurn: Bool) async throws {
        let id = item.row.id
        var attempt = 0
        var mayHaveLanded = false
        var markedAmbiguous = false
        var holding = holdingTurn
        var lastProblem = ""
        while true {
            if stop.isRequested {
                // Nothing is sent after a stop. A row whose add may have landed stays in flight (resume looks it up
                // first); any other row was never applied and goes back to pending.
                if holding { await flow.cancelTurn() }
                if !mayHaveLanded { try await queue.write { try MigrationJournal.returnToPending([id], $0) } }
                return
            }
            attempt += 1
            if attempt > settings.maxAttemptsPerRow {
                if holding { await flow.cancelTurn() }
                throw MigrationError.rowKeepsFailing(legacyID: id, detail: lastProblem)
            }
            if mayHaveLanded {
                if holding { await flow.cancelTurn(); holding = false }
                // Whatever made the add uncertain (an error, a PENDING event that failed, a success without an id),
                // the row is marked before its lookup: the final sweep looks only at marked rows.
                if !markedAmbiguous {
                    lastAmbiguous.withLock { $0 = meter.elapsed }
                    try await queue.write { try MigrationJournal.markAmbiguous(id, $0) }
                    markedAmbiguous = true
                }
                do {
                    if try await reconcile(item) { return }
                } catch let error as Mem0Error {
                    lastProblem = error.operatorMessage
                    if let refusal = accountRefusal(error) { stop.request(refusal); continue }
                    sink.emit(.retry(legacyID: id, attempt: attempt, reason: "lookup: \(short(error))"))
                    try await backoff(attempt)
                    continue
                }
                mayHaveLanded = false
            }
            if !holding {
                guard try await flow.waitForTurn(slot: slot, force: true) else { continue }   // stopped
            }
            holding = false
            let request = item.row.addRequest(mem0UserID: item.mem0UserID, runID: run.id, sourceFile: sourceFile,
                                              duplicateIDs: item.duplicateIDs)
            let started = ContinuousClock.now
            do {
                let outcome = try await client.addReportingResends(request)
                let latency = (ContinuousClock.now - started).inSeconds
                await flow.finish(.accepted, latency: latency)
                breaker.withLock { $0.recordAccepted() }
                if outcome.mayHaveBeenSentTwice {
                    // libcurl may have re-sent it on a new connection: the final sweep looks this row up.
                    lastAmbiguous.withLock { $0 = meter.elapsed }
                    try await queue.write { try MigrationJournal.markAmbiguous(id, $0) }
                }
                var result = outcome.result
                if case .pending(let eventID) = result {
                    // Queued by the Platform: the event is the row's truth from now on, so a resume polls it instead
                    // of sending again.
                    try await queue.write { try MigrationJournal.recordEvent(eventID, for: id, $0) }
                    let polled: Mem0AddResult?
                    do { polled = try await settle(eventID: eventID, legacyID: id) } catch is StopRequested { return }
                    guard let settled = polled else {
                        mayHaveLanded = true   // the event failed or vanished: look the row up, then resend
                        lastProblem = "the Platform's event \(eventID) did not succeed"
                        continue
                    }
                    result = settled
                }
                switch result {
                case .created(let ids):
                    guard let mem0ID = ids.first else {
                        lastProblem = "the add returned no id"; mayHaveLanded = true; continue
                    }
                    for extra in ids.dropFirst() { _ = try? await client.delete(id: extra) }
                    try await writer.add(LinkWriter.Link(item: item, mem0ID: mem0ID))
                    return
                case .deduplicated, .pending:
                    // The Platform already holds identical text for this user: find ours by its legacy id. The plan
                    // folded this run's own same-text rows, so a copy that is not ours was stored before this run.
                    if try await reconcile(item) { return }
                    try await reject(id, .refusedByMem0("the Platform de-duplicated it: identical text is already stored for user \(item.mem0UserID), not by this run"))
                    return
                }
            } catch let error as Mem0Error {
                lastProblem = error.operatorMessage
                if let refusal = accountRefusal(error) {
                    // Refused before anything was applied: the row goes back to pending and the run stops.
                    await flow.finish(.accepted)
                    try await queue.write { try MigrationJournal.returnToPending([id], $0) }
                    stop.request(refusal)
                    return
                }
                switch error {
                case .rateLimited(let retryAfter):
                    let wait = retryAfter.map(\.inSeconds)
                    let (changed, pace) = await flow.finish(.rateLimited(retryAfter: wait))
                    if changed { sink.emit(.rateLimited(retryAfterSeconds: wait, newRate: pace)) }
                    sink.emit(.retry(legacyID: id, attempt: attempt, reason: "429"))
                    attempt -= 1   // a 429 is pacing, not a failure of this row
                    continue
                case .server(let status, _, let message) where (400..<500).contains(status) && status != 408:
                    await flow.finish(.accepted)
                    let tripped = breaker.withLock { $0.recordRefusal(status: status, legacyID: id) }
                    if let streak = tripped {
                        try await queue.write { try MigrationJournal.returnToPending(streak, $0) }
                        stop.request(.accountRefused(status: status, message: message, consecutive: streak.count))
                        return
                    }
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

    /// The refusals that are the account's, not the row's: they stop the run (see the type's comment).
    private func accountRefusal(_ error: Mem0Error) -> MigrationError? {
        switch error {
        case .unauthorized:
            return .accountRefused(status: 401, message: nil, consecutive: 1)
        case .server(let status, _, let message) where RefusalBreaker.accountStatuses.contains(status):
            return .accountRefused(status: status, message: message, consecutive: 1)
        default:
            return nil
        }
    }

    /// Polls a queued add's event with backoff until it settles: its created ids, or nil when it failed (nothing was
    /// stored, so the caller looks the row up and sends it again). Stops polling, leaving the row in flight with
    /// its event id for resume, when the run is asked to stop.
    func settle(eventID: String, legacyID: Int64) async throws -> Mem0AddResult? {
        var poll = 0
        while true {
            poll += 1
            if stop.isRequested { throw StopRequested() }
            do {
                let event = try await client.event(id: eventID)
                switch event.status {
                case .succeeded:
                    return event.memoryIDs.isEmpty ? .deduplicated : .created(ids: event.memoryIDs)
                case .failed:
                    sink.emit(.retry(legacyID: legacyID, attempt: poll, reason: "event \(eventID) failed: \(event.error ?? "no detail")"))
                    return nil
                case .pending, .running:
                    break
                }
            } catch Mem0Error.server(let status, _, _) where status == 404 {
                return nil
            } catch let error as Mem0Error {
                if let refusal = accountRefusal(error) { stop.request(refusal); throw StopRequested() }
                if poll > settings.maxEventPolls { throw MigrationError.rowKeepsFailing(legacyID: legacyID, detail: error.operatorMessage) }
            }
            if poll > settings.maxEventPolls {
                throw MigrationError.rowKeepsFailing(legacyID: legacyID, detail: "the Platform's event \(eventID) is still pending after \(poll) polls; resume polls it again")
            }
            try await backoff(poll, base: 0.2, ceiling: 2)
        }
    }

    /// Looks the row up by `legacy_id` (this run's copies only). Links it when found (deleting extra copies) and
    /// returns true; returns false when Mem0 has no copy. A row whose add was queued (it has an event id) asks the
    /// event first: while it is pending nothing may be resent.
    func reconcile(_ item: WorkItem, pollingEvent: Bool = true) async throws -> Bool {
        if pollingEvent, let eventID = item.eventID,
           case .created(let ids)? = try await settle(eventID: eventID, legacyID: item.row.id), let mem0ID = ids.first {
            sink.emit(.reconciled(legacyID: item.row.id, outcome: .found(mem0ID: mem0ID)))
            try await writer.add(LinkWriter.Link(item: item, mem0ID: mem0ID))
            return true
        }
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
                if let refusal = accountRefusal(error) { throw refusal }
                if attempt >= settings.maxAttemptsPerRow { throw MigrationError.mem0(error, context: "(looking up rows a stopped run left in flight)") }
                try await backoff(attempt)
            }
        }
    }

    /// The final duplicate sweep, before finalize: the rows that can hold a stray copy are looked up and any copy
    /// that is not the linked memory of its legacy row is deleted.
    ///
    /// Only a row marked `ambiguous` can have a copy the journal does not link (docs/migration.md, "Why the sweep
    /// looks only at ambiguous rows"): every add whose answer was not a definite one (timeout, dropped connection,
    /// 5xx, an unreadable success, a possible libcurl re-send flagged by `mayHaveBeenSentTwice`, a row a crash left
    /// in flight) is marked before anything else happens to the row, and a row with a definite answer (an id, a
    /// 4xx, a 429) has exactly the copy it was answered with. A request held by a stalled path can land after its
    /// lookup, so when a row had an ambiguous failure the sweep first waits `sweepDelay`.
    ///
    /// One list per user that has such rows (concurrently, under the passes' flow control); where the OSS server
    /// cannot list a user completely (≥ 1000 memories), that user's rows are looked up one by one instead.
    func sweepAmbiguous() async throws {
        let ambiguous = try await queue.read {
            try MigrationJournal.entries(where: "ambiguous = 1 AND state IN ('linked', 'rejected') AND mem0_user_id IS NOT NULL", $0)
        }
        guard !ambiguous.isEmpty else {
            // Nothing can hold a stray copy: the phase is reported, complete, with nothing to list.
            PhaseMeter(.sweep, unit: "users", sink: sink).update(done: 0, total: 0)
            return
        }
        if let last = lastAmbiguous.withLock({ $0 }) {
            let wait = settings.sweepDelay - (meter.elapsed - last)
            if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
        }
        do { try await sweep(ambiguous: ambiguous) } catch let error as Mem0Error {
            throw MigrationError.mem0(error, context: "(during the final duplicate sweep; resume to finish)")
        }
    }

    private func sweep(ambiguous: [MigrationJournal.Entry]) async throws {
        let byUser = Dictionary(grouping: ambiguous) { $0.mem0UserID ?? "" }.sorted { $0.key < $1.key }
        let run = JSONValue.string(self.run.id)
        let runID = self.run.id
        let paced = PacedRequests(client: client, rateCap: settings.rateCap)
        let meter = PhaseMeter(.sweep, unit: "users", sink: sink)
        let swept = Locked(0)
        meter.update(done: 0, total: byUser.count)
        try await paced.forEach(byUser) { group, slot in
            defer { meter.update(done: swept.withLock { $0 += 1; return $0 }, total: byUser.count) }
            let (user, entries) = group
            // Rows of this user that can hold a stray copy → their linked memory (nil: rejected, keep none).
            var kept: [Int64: String?] = [:]
            for entry in entries { kept[entry.legacyID] = entry.state == .linked ? entry.mem0MemoryID : nil }
            let list = try await slot.request { try await $0.memories(userID: user) }
            var extrasByRow: [Int64: [String]] = [:]
            if list.truncated {
                for entry in entries {
                    let copies = try await slot.request {
                        try await Mem0Lookup.copies(of: entry.legacyID, user: user, runID: runID, client: $0)
                    }
                    let extras = copies.filter { $0 != kept[entry.legacyID] ?? nil }
                    if !extras.isEmpty { extrasByRow[entry.legacyID] = extras }
                }
            } else {
                for memory in list.memories where memory.metadata[Mem0MetadataKey.runID] == run {
                    guard let legacyID = memory.metadata[Mem0MetadataKey.legacyID]?.int64Value,
                          let linked = kept[legacyID], linked != memory.id else { continue }
                    extrasByRow[legacyID, default: []].append(memory.id)
                }
            }
            for (legacyID, extras) in extrasByRow.sorted(by: { $0.key < $1.key }) {
                for extra in extras { _ = try await slot.request { try await $0.delete(id: extra) } }
                self.sink.emit(.reconciled(legacyID: legacyID, outcome: .foundDuplicates(kept: (kept[legacyID] ?? nil) ?? "-", deleted: extras)))
            }
        }
    }

    private func reject(_ id: Int64, _ reason: RejectionReason) async throws {
        try await queue.write { try MigrationJournal.markRejected(id, reason: reason, $0) }
        meter.add()
        sink.emit(.rowRejected(legacyID: id, reason: reason))
    }

    /// Jittered exponential backoff (the migration's one, `backoffPause`), cut short by a stop request.
    func backoff(_ attempt: Int, base: Double = 0.25, ceiling maximum: Double = 5) async throws {
        try await backoffPause(attempt: attempt, base: base, ceiling: maximum) { [stop] in stop.isRequested }
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

/// Thrown inside a sender when a stop was requested mid-row; the engine turns the stop's reason into the run's end.
struct StopRequested: Error {}

/// Trips when Mem0 refuses `threshold` adds in a row with the same status and no success between: whatever their
/// content, that is the account or the server refusing, not the rows.
struct RefusalBreaker: Sendable {
    /// Documented in docs/migration.md ("Refusals").
    static let threshold = 10
    /// Statuses that are the account's at the first answer: key, payment, permission, wrong URL, quota.
    static let accountStatuses: Set<Int> = [401, 402, 403, 404, 405, 413]

    private var status: Int?
    private var streak: [Int64] = []

    mutating func recordAccepted() { status = nil; streak = [] }

    /// Records a refusal of `legacyID`; returns the streak's rows when this refusal trips the breaker.
    mutating func recordRefusal(status: Int, legacyID: Int64) -> [Int64]? {
        if self.status != status { self.status = status; streak = [] }
        streak.append(legacyID)
        guard streak.count >= Self.threshold else { return nil }
        defer { streak = [] }
        return streak
    }
}
