import Foundation
import GRDB
import Mem0Client
import Storage

/// Checks a migrated file against Mem0: every row accounted for, Mem0 holding exactly one memory per link for each
/// user, and each checked link's text (byte for byte) and created time (to the second) equal to the legacy row.
///
/// A full verify lists each user's memories (this run's, by `migration_run_id`) for the counts and the records. The
/// OSS server lists at most 1000 memories per user and cannot count beyond that: such users are checked by fetching
/// every link by id instead, and a note says their count could not be checked. A sample fetches its links by id and
/// counts what one request per user can count. Every request goes through `PacedRequests`, concurrently.
public struct Verifier: Sendable {
    public let file: URL
    let queue: DatabaseQueue
    public let client: Mem0Client
    /// The passes' window grows up to this many requests in flight (see `PacedRequests`).
    public var maximumConcurrency = 64
    /// At most this many requests per second (`migrate --rate`); nil: only what the server's 429s teach.
    public var rateCap: Double?
    /// Gets `verify` progress: users listed, then links fetched by id.
    let progress: (@Sendable (PhaseProgress) -> Void)?

    init(file: URL, queue: DatabaseQueue, client: Mem0Client, progress: (@Sendable (PhaseProgress) -> Void)? = nil) {
        self.file = file; self.queue = queue; self.client = client; self.progress = progress
    }

    /// Verifies `file` (opened read-only). `sample`: compare only this many random links (nil: all).
    public static func verify(file: URL, client: Mem0Client, sample: Int?, rateCap: Double? = nil,
                              progress: (@Sendable (PhaseProgress) -> Void)? = nil) async throws -> VerificationResult {
        let database = try MigrationFile.open(file, forWriting: false)
        defer { try? database.close() }
        try MigrationFile.requireChatDatabase(database, path: file.path)
        var verifier = Verifier(file: file, queue: database.writer, client: client, progress: progress)
        verifier.rateCap = rateCap
        return try await verifier.verify(sample: sample)
    }

    private struct Link: Sendable { var legacyID: Int64; var legacyUserID: Int64; var mem0UserID: String; var mem0ID: String }

    func verify(sample: Int?) async throws -> VerificationResult {
        guard let run = try await queue.read({ try MigrationJournal.currentRun($0) }) else {
            throw MigrationError.noMigrationRun(path: file.path)
        }
        // One unretried call first: a Mem0 that is down fails the verification at once, as the diff does, instead of
        // after every list's retries.
        do { _ = try await client.ping() } catch let error as Mem0Error {
            throw MigrationError.mem0(error, context: "(verifying)")
        }
        var result = VerificationResult()
        let (counts, links, legacyTable, missingMetadata) = try await queue.read { db in
            let counts = try MigrationJournal.counts(db)
            let links = try Row.fetchAll(db, sql: """
                SELECT legacy_id, legacy_user_id, mem0_user_id, mem0_memory_id FROM memconsole_migration_journal
                WHERE state = 'linked' ORDER BY legacy_id
                """).map { Link(legacyID: $0["legacy_id"], legacyUserID: $0["legacy_user_id"], mem0UserID: $0["mem0_user_id"],
                                mem0ID: $0["mem0_memory_id"]) }
            let source = try LegacySource.of(db)
            let table: String? = source.isInThisFile ? source.tableName : nil
            let missing = try db.tableExists("memories_metadata") ? (try Int64.fetchAll(db, sql: """
                SELECT j.legacy_id FROM memconsole_migration_journal j
                LEFT JOIN memories_metadata m ON m.mem0_memory_id = j.mem0_memory_id
                WHERE j.state = 'linked' AND m.id IS NULL
                """)) : links.map(\.legacyID)
            return (counts, links, table, missing)
        }
        result.linked = counts.linked
        result.duplicates = counts.duplicate
        result.rejected = counts.rejected
        if let legacyTable {
            result.legacyRows = try await queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(legacyTable)") ?? 0 }
        } else {
            result.legacyRows = run.legacyRowCount
            result.notes.append("the legacy table was dropped (--skip-backup-table): legacy rows counted from the run record, contents read from the backup file")
        }
        if !result.isBalanced {
            result.mismatches.append(VerificationMismatch(kind: .unbalanced, detail:
                "legacy rows \(result.legacyRows) ≠ linked \(counts.linked) + duplicates \(counts.duplicate) + rejected \(counts.rejected)"))
        }
        if counts.pending + counts.inFlight > 0 {
            result.mismatches.append(VerificationMismatch(kind: .unfinishedRows, detail:
                "\(counts.pending) rows not sent, \(counts.inFlight) unconfirmed: resume the run"))
        }
        for id in missingMetadata.prefix(100) {
            result.mismatches.append(VerificationMismatch(kind: .missingMetadataRow, legacyID: id, detail: "no memories_metadata row"))
        }

        // Which links get their content compared.
        var checkedIDs = Set(links.map(\.legacyID))
        if let sample, sample < links.count {
            checkedIDs = Set(links.shuffled().prefix(sample).map(\.legacyID))
            result.sampled = true
        }

        // What is asked of Mem0 (docs/migration.md, "What a verification proves"): a full verify lists every user.
        // A sample fetches its links by id and counts the users they belong to (every user when there are no more
        // users than the sample): at most twice the sample in requests, whatever the number of users. A count is
        // one request on the Platform (the list's `count` with `page_size=1`); on OSS it is the user's list, which
        // also returns the records.
        let byUser = Dictionary(grouping: links, by: \.mem0UserID)
        let checked = links.filter { checkedIDs.contains($0.legacyID) }
        let paced = PacedRequests(client: client, maximumConcurrency: maximumConcurrency, rateCap: rateCap)
        let dialect = try await mem0 { try await client.dialect() }
        let countsInOneRequest = dialect != .oss
        var sampledUsers = byUser.count <= (sample ?? 0) ? byUser.keys.sorted() : Array(Set(checked.map(\.mem0UserID))).sorted()
        let runValue = JSONValue.string(run.id)
        let listings = Locked<[String: UserListing]>([:])
        let fetched = Locked<[String: Mem0Memory?]>([:])
        let getTimes = Locked<[Double]>([])
        let usersMeter = progress.map { PhaseMeter(.verify, unit: "users", emit: $0) }
        // A full verification lists every user: its progress starts at 0 of them (a sample's passes are short).
        if !result.sampled { usersMeter?.update(done: 0, total: byUser.count) }
        @Sendable func list(_ user: String, _ slot: PacedSlot) async throws {
            let list = try await slot.request { try await $0.memories(userID: user) }
            let mine = list.memories.filter { $0.metadata[Mem0MetadataKey.runID] == runValue }
            let listing = UserListing(mine: list.truncated ? nil : mine, others: list.memories.count - mine.count)
            let done = listings.withLock { $0[user] = listing; return $0.count }
            usersMeter?.update(done: done, total: byUser.count)
        }
        @Sendable func count(_ user: String, _ slot: PacedSlot) async throws {
            let count = try await slot.request {
                try await $0.memoryCount(userID: user, metadataKey: Mem0MetadataKey.runID, value: runValue)
            }
            listings.withLock { $0[user] = UserListing(count: count) }
        }
        let countUser: @Sendable (String, PacedSlot) async throws -> Void = countsInOneRequest ? count : list
        try await mem0Pass {
            guard result.sampled else {
                try await paced.forEach(byUser.keys.sorted(), list)
                return
            }
            // The sample's links first, timed: a get is the yardstick of what "cheap" means on this server.
            try await paced.forEach(checked) { link, slot in
                let started = ContinuousClock.now
                let memory = try await slot.request { try await $0.memory(id: link.mem0ID) }
                getTimes.withLock { $0.append((ContinuousClock.now - started).inSeconds) }
                fetched.withLock { $0[link.mem0ID] = memory }
            }
            // Then the users' counts, only where a count costs about a get: on a server whose list scans the whole
            // store (the local test server), counting 50 users cost more than the rest of the run's post-send phases.
            guard let first = sampledUsers.first else { return }
            let getTime = getTimes.withLock { $0.sorted()[$0.count / 2] }
            let started = ContinuousClock.now
            try await paced.forEach([first], countUser)
            let countTime = (ContinuousClock.now - started).inSeconds
            if countTime <= getTime * 2 + 0.005 {
                try await paced.forEach(Array(sampledUsers.dropFirst()), countUser)
            } else {
                result.notes.append(String(format: "counts of the sampled users skipped after the first: one costs %.0f ms on this server against %.0f ms for a get; 'memconsole verify' counts every user", countTime * 1000, getTime * 1000))
                sampledUsers = [first]
            }
        }
        var records: [String: Mem0Memory] = [:]
        var users: [UserVerification] = []
        let listingByUser = listings.withLock { $0 }
        for (user, userLinks) in byUser.sorted(by: { $0.key < $1.key }) {
            var entry = UserVerification(mem0UserID: user, legacyUserID: userLinks[0].legacyUserID, linked: userLinks.count,
                                         mem0Count: nil, checked: 0, mismatched: 0)
            defer { users.append(entry) }
            guard let listing = listingByUser[user] else { continue }
            if listing.isTruncated {
                result.notes.append("user \(user): the OSS server lists at most 1000 memories, so its count cannot be checked; every link was fetched by id instead")
                checkedIDs.formUnion(userLinks.map(\.legacyID))
                continue
            }
            if let mine = listing.mine { for memory in mine { records[memory.id] = memory } }
            if listing.others > 0 { result.notes.append("user \(user) also has \(listing.others) Mem0 memories not created by this run") }
            entry.mem0Count = listing.count
            if let count = listing.count, count != userLinks.count {
                result.mismatches.append(VerificationMismatch(kind: .countDiffers, detail:
                    "user \(user): Mem0 holds \(count) memories of this run, the journal links \(userLinks.count)"))
            }
        }
        result.countedUsers = users.filter { $0.mem0Count != nil }.count

        // Compare the checked links with their legacy rows; links no listing returned are fetched by id.
        let toCheck = links.filter { checkedIDs.contains($0.legacyID) }
        let legacyRows = try await legacyValues(ids: toCheck.map(\.legacyID), table: legacyTable, run: run)
        var compared: [(Link, MemoryComparison)] = []
        let alreadyFetched = Set(fetched.withLock { $0.keys })
        let missingRecords = toCheck.filter { records[$0.mem0ID] == nil && !alreadyFetched.contains($0.mem0ID) }
        let linksMeter = missingRecords.isEmpty ? nil : progress.map { PhaseMeter(.verify, unit: "links", emit: $0) }
        linksMeter?.update(done: 0, total: missingRecords.count)
        let fetchedCount = Locked(0)
        try await mem0Pass {
            try await paced.forEach(missingRecords) { link, slot in
                let memory = try await slot.request { try await $0.memory(id: link.mem0ID) }
                fetched.withLock { $0[link.mem0ID] = memory }
                let done = fetchedCount.withLock { $0 += 1; return $0 }
                linksMeter?.update(done: done, total: missingRecords.count)
            }
        }
        let fetchedRecords = fetched.withLock { $0 }
        for link in toCheck {
            guard let legacy = legacyRows[link.legacyID] else { continue }
            let record = records[link.mem0ID] ?? fetchedRecords[link.mem0ID] ?? nil
            compared.append((link, MemoryComparison(legacy: legacy, memory: record)))
        }
        var mismatchedByUser: [String: Int] = [:]
        var checkedByUser: [String: Int] = [:]
        for (link, comparison) in compared {
            checkedByUser[link.mem0UserID, default: 0] += 1
            var kind: VerificationMismatch.Kind?
            var detail = ""
            if comparison.mem0ID == nil {
                kind = .missingMemory; detail = "Mem0 has no memory \(link.mem0ID)"
            } else if comparison.outcome(of: .text) != .equal {
                kind = .textDiffers; detail = "text differs"
            } else if comparison.outcome(of: .createdAt) != .equal {
                let line = comparison.lines.first { $0.field == .createdAt }
                kind = .createdAtDiffers; detail = "created_at \(line?.legacyValue ?? "?") vs \(line?.mem0Value ?? "none")"
            }
            if let kind {
                mismatchedByUser[link.mem0UserID, default: 0] += 1
                result.mismatches.append(VerificationMismatch(kind: kind, legacyID: link.legacyID, mem0ID: link.mem0ID, detail: detail))
            }
        }
        result.checkedLinks = compared.count
        result.users = users.map { u in
            var u = u
            u.checked = checkedByUser[u.mem0UserID] ?? 0
            u.mismatched = mismatchedByUser[u.mem0UserID] ?? 0
            return u
        }
        return result
    }

    private func legacyValues(ids: [Int64], table: String?, run: MigrationRun) async throws -> [Int64: LegacyMemoryValues] {
        var result: [Int64: LegacyMemoryValues] = [:]
        let reader: DatabaseQueue
        let source: String
        if let table { reader = queue; source = table } else {
            guard let path = run.backupPath else { return [:] }
            var configuration = Configuration()
            configuration.readonly = true
            reader = try DatabaseQueue(path: path, configuration: configuration)
            source = "memories"
        }
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let rows = try await reader.read { try LegacyRow.fetch(ids: chunk, table: source, in: $0) }
            for row in rows { result[row.id] = row.comparable }
        }
        return result
    }

    private func mem0<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await mem0Pass { try await retryingMem0(body) }
    }

    /// Mem0's errors as the operator's (a refused key, Mem0 unavailable), with what was being done.
    private func mem0Pass<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as Mem0Error {
            throw MigrationError.mem0(error, context: "(verifying)")
        }
    }

    /// What one user's listing or count said. `mine` nil with a listing: the OSS list was cut at 1000.
    private struct UserListing: Sendable {
        var mine: [Mem0Memory]?
        var others = 0
        var count: Int?
        var isTruncated: Bool { mine == nil && count == nil }

        init(mine: [Mem0Memory]?, others: Int) { self.mine = mine; self.others = others; count = mine?.count }
        init(count: Int?) { mine = []; self.count = count }
    }
}
