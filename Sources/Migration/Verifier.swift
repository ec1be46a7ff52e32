import Foundation
import GRDB
import Mem0Client

/// Checks a migrated file against Mem0: every row accounted for, Mem0 holding exactly one memory per link for each
/// user, and each checked link's text (byte for byte) and created time (to the second) equal to the legacy row.
///
/// Counts come from listing each user's memories (this run's, by `migration_run_id`). The OSS server lists at most
/// 1000 memories per user and cannot count beyond that: such users are checked by fetching every link by id instead,
/// and a note says their count could not be checked.
public struct Verifier: Sendable {
    public let file: URL
    let queue: DatabaseQueue
    public let client: Mem0Client
    public var concurrency = 16

    init(file: URL, queue: DatabaseQueue, client: Mem0Client) {
        self.file = file; self.queue = queue; self.client = client
    }

    /// Verifies `file` (opened read-only). `sample`: compare only this many random links (nil: all).
    public static func verify(file: URL, client: Mem0Client, sample: Int?) async throws -> VerificationResult {
        let database = try MigrationFile.open(file, forWriting: false)
        defer { try? database.close() }
        try MigrationFile.requireChatDatabase(database, path: file.path)
        return try await Verifier(file: file, queue: database.writer, client: client).verify(sample: sample)
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
            let table: String? = try db.tableExists("memories_backup") ? "memories_backup"
                : (try db.tableExists("memories") ? "memories" : nil)
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

        // Per user: list this run's memories (counts and, where complete, the records themselves).
        let byUser = Dictionary(grouping: links, by: \.mem0UserID)
        var records: [String: Mem0Memory] = [:]
        var users: [UserVerification] = []
        for (user, userLinks) in byUser.sorted(by: { $0.key < $1.key }) {
            let list = try await mem0 { try await client.memories(userID: user) }
            let mine = list.memories.filter { $0.metadata[Mem0MetadataKey.runID] == .string(run.id) }
            var entry = UserVerification(mem0UserID: user, legacyUserID: userLinks[0].legacyUserID, linked: userLinks.count,
                                         mem0Count: nil, checked: 0, mismatched: 0)
            if list.truncated {
                result.notes.append("user \(user): the OSS server lists at most 1000 memories, so its count cannot be checked; every link was fetched by id instead")
                checkedIDs.formUnion(userLinks.map(\.legacyID))
            } else {
                entry.mem0Count = mine.count
                for memory in mine { records[memory.id] = memory }
                let others = list.memories.count - mine.count
                if others > 0 { result.notes.append("user \(user) also has \(others) Mem0 memories not created by this run") }
                if mine.count != userLinks.count {
                    result.mismatches.append(VerificationMismatch(kind: .countDiffers, detail:
                        "user \(user): Mem0 holds \(mine.count) memories of this run, the journal links \(userLinks.count)"))
                }
            }
            users.append(entry)
        }

        // Compare the checked links with their legacy rows.
        let toCheck = links.filter { checkedIDs.contains($0.legacyID) }
        let legacyRows = try await legacyValues(ids: toCheck.map(\.legacyID), table: legacyTable, run: run)
        var compared: [(Link, MemoryComparison)] = []
        let fetched = Locked<[String: Mem0Memory?]>([:])
        let missingRecords = toCheck.filter { records[$0.mem0ID] == nil }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, link) in missingRecords.enumerated() {
                if index >= concurrency { try await group.next() }
                group.addTask {
                    let memory = try await mem0 { try await client.memory(id: link.mem0ID) }
                    fetched.withLock { $0[link.mem0ID] = memory }
                }
            }
            try await group.waitForAll()
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
        do { return try await retryingMem0(body) } catch let error as Mem0Error {
            throw MigrationError.mem0(error, context: "(verifying)")
        }
    }
}
