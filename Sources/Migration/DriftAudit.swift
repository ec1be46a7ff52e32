import Foundation
import GRDB
import Mem0Client
import Storage

/// Compares a migrated file that the app keeps writing with Mem0, both ways: does every `memories_metadata` row still
/// have its Mem0 memory, with the same user, profile, memory_type and tags, and does every Mem0 memory of the file's
/// users have a row that links it?
///
/// Reads the file only (read-only connection). Mem0 is read per user (each user's whole list: Platform pages, OSS up
/// to its 1,000 cap) and, for rows whose memory is in no list, per memory id, all under one `FlowController`. A row
/// is dangling only when Mem0 answered "no such memory" to its id, never merely because a list missed it.
public struct DriftAudit: Sendable {
    /// Where a Mem0 failure that ends an audit or repair happened, for its message.
    static let mem0Context = "(auditing or repairing drift)"

    public let file: URL
    public let client: Mem0Client
    /// How Mem0 user ids are made from the file's users; nil: the migration run's mapping (or user id, no prefix,
    /// when the file was never migrated).
    public var mapping: Mem0UserMapping?
    /// Audit only this many randomly chosen users (all of their rows and all of their Mem0 memories); nil: all.
    public var sampleUsers: Int?
    /// A fixed number of requests in flight; nil: adaptive, as in a migration.
    public var concurrency: Int?

    public init(file: URL, client: Mem0Client, mapping: Mem0UserMapping? = nil, sampleUsers: Int? = nil,
                concurrency: Int? = nil) {
        self.file = file; self.client = client; self.mapping = mapping; self.sampleUsers = sampleUsers
        self.concurrency = concurrency
    }

    /// The audit as a stream for a screen: progress while Mem0 is read, then `.finished` or `.failed`, then the end.
    /// Ending the stream's consumer cancels the audit.
    public func events() -> AsyncStream<DriftAuditEvent> {
        AsyncStream(bufferingPolicy: .bufferingNewest(64)) { continuation in
            let task = Task {
                do {
                    let result = try await self.run { continuation.yield(.progress($0)) }
                    continuation.yield(.finished(result))
                } catch let error as DriftAuditError {
                    continuation.yield(.failed(.audit(error)))
                } catch {
                    continuation.yield(.failed(.migration(MigrationFile.map(error, path: self.file.path))))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Runs the audit; `progress` hears each step of reading Mem0.
    public func run(progress: (@Sendable (DriftAuditProgress) -> Void)? = nil) async throws -> DriftAuditResult {
        let database = try MigrationFile.open(file, forWriting: false)
        defer { try? database.close() }
        try MigrationFile.requireChatDatabase(database, path: file.path)
        let snapshot = try await database.writer.read { db in try DriftSnapshot.read(db, path: file.path) }
        // One unretried call first, as verification does: a Mem0 that is down fails the audit at once instead of
        // after every list's retries.
        do { _ = try await client.ping() } catch let error as Mem0Error {
            throw MigrationError.mem0(error, context: "(auditing drift)")
        }
        let result = try await audit(snapshot, progress: progress)
        let now = try await database.writer.read { db in
            try DriftSnapshot.recheck(db, rowIDs: result.findings.filter { $0.kind == .dangling }.compactMap(\.metadataID),
                                      memoryIDs: result.findings.filter { $0.kind == .unlinked }.map(\.mem0MemoryID))
        }
        return result.forgettingWritesDuringTheAudit(rowsStillThere: now.rows, memoriesLinkedNow: now.memories)
    }

    func audit(_ snapshot: DriftSnapshot, progress: (@Sendable (DriftAuditProgress) -> Void)? = nil)
        async throws -> DriftAuditResult {
        let mapping = self.mapping ?? snapshot.runMapping ?? Mem0UserMapping()
        var result = DriftAuditResult()
        var userIDs = Array(Set(snapshot.usernames.keys).union(snapshot.rows.map(\.userID))).sorted()
        result.usersInFile = userIDs.count
        if let sampleUsers, sampleUsers < userIDs.count {
            userIDs = Array(userIDs.shuffled().prefix(sampleUsers)).sorted()
            result.sampled = true
        }
        result.usersAudited = userIDs.count
        let audited = Set(userIDs)
        let mem0UserOf = { (id: Int64) in mapping.mem0UserID(legacyUserID: id, username: snapshot.usernames[id] ?? nil) }

        // Each audited user's Mem0 list. Two file users with one Mem0 id are listed once.
        var owners: [String: Int64] = [:]
        for id in userIDs { if let mem0 = mem0UserOf(id), owners[mem0] == nil { owners[mem0] = id } }
        let mem0Users = owners.keys.sorted()
        let client = self.client
        let requests = PacedRequests(client: client, initialConcurrency: concurrency ?? 8,
                                     maximumConcurrency: concurrency ?? 32)
        progress?(DriftAuditProgress(phase: .listingUsers, done: 0, total: mem0Users.count))
        let lists = try await requests.map(mem0Users, context: Self.mem0Context, completed: { done in
            progress?(DriftAuditProgress(phase: .listingUsers, done: done, total: mem0Users.count))
        }) { try await client.memories(userID: $0) }
        var listed: [String: Mem0Memory] = [:]
        var listedOwner: [String: Int64] = [:]
        for (user, list) in zip(mem0Users, lists) {
            if list.truncated { result.usersAtServerCap.append(user) }
            for memory in list.memories where listed[memory.id] == nil {
                listed[memory.id] = memory
                listedOwner[memory.id] = owners[user]
            }
        }
        if !result.usersAtServerCap.isEmpty {
            result.notes.append("\(result.usersAtServerCap.count) user(s) reached the OSS server's 1,000-memory list cap (\(result.usersAtServerCap.prefix(5).joined(separator: ", "))): their rows were checked by id, but memories beyond the cap cannot be listed, so unlinked ones among them cannot be found")
        }

        // Rows of the audited users; those whose memory no list returned are fetched by id.
        let rows = snapshot.rows.filter { audited.contains($0.userID) }
        let unlisted = Array(Set(rows.map(\.mem0MemoryID).filter { listed[$0] == nil })).sorted()
        if !unlisted.isEmpty { progress?(DriftAuditProgress(phase: .fetchingUnlistedRows, done: 0, total: unlisted.count)) }
        let fetched = try await requests.map(unlisted, context: Self.mem0Context, completed: { done in
            progress?(DriftAuditProgress(phase: .fetchingUnlistedRows, done: done, total: unlisted.count))
        }) { try await client.memory(id: $0) }
        var records = listed
        for case let memory? in fetched { records[memory.id] = memory }

        result.metadataRows = rows.count
        for row in rows {
            let expectedUser = mem0UserOf(row.userID)
            let metadataSide = MemoryLinkValues(row, mem0UserID: expectedUser)
            guard let memory = records[row.mem0MemoryID] else {
                result.dangling += 1
                result.findings.append(DriftFinding(kind: .dangling, metadataID: row.id, mem0MemoryID: row.mem0MemoryID,
                                                    userID: row.userID, mem0UserID: expectedUser,
                                                    metadataSide: metadataSide))
                continue
            }
            let mem0Side = MemoryLinkValues(memory, knownProfiles: snapshot.profileIDs)
            let differences = metadataSide.differences(from: mem0Side)
            if differences.isEmpty {
                result.linkedOK += 1
            } else {
                result.disagreeing += 1
                result.findings.append(DriftFinding(kind: .disagreeing, metadataID: row.id, mem0MemoryID: memory.id,
                                                    userID: row.userID, mem0UserID: expectedUser,
                                                    metadataSide: metadataSide, mem0Side: mem0Side, memory: memory,
                                                    differences: differences))
            }
        }

        // Memories of the audited users that no row of the file links.
        let linkedIDs = snapshot.linkedMemoryIDs
        result.mem0Memories = listed.count
        for memory in listed.values.sorted(by: { ($0.userID ?? "", $0.id) < ($1.userID ?? "", $1.id) })
        where !linkedIDs.contains(memory.id) {
            result.unlinked += 1
            result.findings.append(DriftFinding(kind: .unlinked, metadataID: nil, mem0MemoryID: memory.id,
                                                userID: listedOwner[memory.id], mem0UserID: memory.userID,
                                                mem0Side: MemoryLinkValues(memory, knownProfiles: snapshot.profileIDs),
                                                memory: memory))
        }
        result.linked = result.mem0Memories - result.unlinked
        return result
    }
}

/// How far the audit has read Mem0.
public struct DriftAuditProgress: Sendable, Equatable {
    public enum Phase: String, Sendable, Equatable {
        /// Each audited user's list (one or more requests per user).
        case listingUsers = "listing_users"
        /// Rows whose memory no list returned, fetched by id.
        case fetchingUnlistedRows = "fetching_unlisted_rows"
    }
    public var phase: Phase
    public var done: Int
    public var total: Int
}

/// What `DriftAudit.events()` reports.
public enum DriftAuditEvent: Sendable, Equatable {
    case progress(DriftAuditProgress)
    case finished(DriftAuditResult)
    case failed(DriftAuditFailure)
}

/// Why a streamed audit stopped: the audit's own refusal, or the file or Mem0 as a migration reports them.
public enum DriftAuditFailure: Error, Sendable, Equatable {
    case audit(DriftAuditError)
    case migration(MigrationError)

    public var operatorMessage: String {
        switch self {
        case .audit(let error): return error.operatorMessage
        case .migration(let error): return error.operatorMessage
        }
    }
}

/// What the audit reads from the file, in one read transaction.
struct DriftSnapshot: Sendable {
    var rows: [MemoryMetadata]
    /// Every SQLite user, with its username (nil when the column is NULL).
    var usernames: [Int64: String?]
    var runMapping: Mem0UserMapping?
    /// Every `mem0_memory_id` in the table (of all users, audited or not).
    var linkedMemoryIDs: Set<String>
    /// Ids of `memory_profiles`: a Mem0 `legacy_profile_id` naming none of them reads as no profile.
    var profileIDs: Set<Int64>

    static func read(_ db: Database, path: String) throws -> DriftSnapshot {
        guard try db.tableExists(MemoryMetadata.databaseTableName) else { throw DriftAuditError.noMetadataTable(path: path) }
        let rows = try MemoryMetadata.order(Column("id")).fetchAll(db)
        var usernames: [Int64: String?] = [:]
        if try db.tableExists("users") {
            for row in try Row.fetchAll(db, sql: "SELECT id, username FROM users") {
                if let id = LegacyValue.integer(row["id"]) { usernames[id] = LegacyValue.text(row["username"]) }
            }
        }
        let profiles = try db.tableExists("memory_profiles")
            ? Set(try Row.fetchAll(db, sql: "SELECT id FROM memory_profiles").compactMap { LegacyValue.integer($0["id"]) })
            : []
        return DriftSnapshot(rows: rows, usernames: usernames, runMapping: try MigrationJournal.currentRun(db)?.mapping,
                             linkedMemoryIDs: Set(rows.map(\.mem0MemoryID)), profileIDs: profiles)
    }
}

extension DriftSnapshot {
    /// After Mem0 was read: which dangling rows still exist, and which unlinked memories a row links by now.
    static func recheck(_ db: Database, rowIDs: [Int64], memoryIDs: [String]) throws -> (rows: Set<Int64>, memories: Set<String>) {
        var rows = Set<Int64>(), memories = Set<String>()
        for start in stride(from: 0, to: rowIDs.count, by: 500) {
            let chunk = Array(rowIDs[start..<min(start + 500, rowIDs.count)])
            rows.formUnion(try MemoryMetadata.filter(keys: chunk).fetchAll(db).compactMap(\.id))
        }
        for start in stride(from: 0, to: memoryIDs.count, by: 500) {
            let chunk = Array(memoryIDs[start..<min(start + 500, memoryIDs.count)])
            memories.formUnion(try MemoryMetadata.filter(chunk.contains(Column("mem0_memory_id"))).fetchAll(db).map(\.mem0MemoryID))
        }
        return (rows, memories)
    }
}

extension DriftAuditResult {
    /// The app keeps writing while the audit reads Mem0 (Mem0 first, then the row). A memory added after the file was
    /// read shows up unlinked although its row followed; a row deleted with its memory shows up dangling. Both are
    /// taken back after a second look at the file, and the equations stay exact: a dangling row that is gone leaves
    /// `metadataRows`, an unlinked memory that is linked now moves to `linked`.
    func forgettingWritesDuringTheAudit(rowsStillThere: Set<Int64>, memoriesLinkedNow: Set<String>) -> DriftAuditResult {
        var result = self
        result.findings = findings.filter { finding in
            switch finding.kind {
            case .dangling:
                guard let id = finding.metadataID, !rowsStillThere.contains(id) else { return true }
                result.dangling -= 1; result.metadataRows -= 1
                return false
            case .unlinked:
                guard memoriesLinkedNow.contains(finding.mem0MemoryID) else { return true }
                result.unlinked -= 1; result.linked += 1
                return false
            case .disagreeing:
                return true
            }
        }
        let forgotten = findings.count - result.findings.count
        if forgotten > 0 {
            result.notes.append("\(forgotten) finding(s) were writes of the app during the audit (rows deleted, or linked after Mem0 was read) and are not counted")
        }
        return result
    }
}

/// The four fields a metadata row and its Mem0 memory must agree on, as both sides hold them.
///
/// The Mem0 side is read from the keys the migration writes (`Mem0MetadataKey`): `legacy_profile_id`,
/// `legacy_memory_type`, `legacy_tags`; the user is the memory's own `user_id`. An absent key reads as null (no
/// profile, no type) or no tags. Tags compare as a set: their order and repeats carry no meaning. A
/// `legacy_profile_id` that names no profile of the file reads as no profile: the migration writes an orphan profile
/// id into Mem0 as it was and NULL into the row (`MigrationEngine.metadataRecord`), and that pair agrees.
public struct MemoryLinkValues: Sendable, Equatable, Codable {
    public var mem0UserID: String?
    public var profileID: Int64?
    public var memoryType: String?
    public var tags: [String]

    public init(mem0UserID: String?, profileID: Int64?, memoryType: String?, tags: [String]) {
        self.mem0UserID = mem0UserID; self.profileID = profileID; self.memoryType = memoryType; self.tags = tags
    }

    /// A row's side, with the Mem0 user id its SQLite user maps to.
    public init(_ row: MemoryMetadata, mem0UserID: String?) {
        self.init(mem0UserID: mem0UserID, profileID: row.profileID, memoryType: row.memoryType, tags: row.tags.values)
    }

    /// A Mem0 memory's side; `knownProfiles`: the file's profile ids (nil: take every id as it is).
    public init(_ memory: Mem0Memory, knownProfiles: Set<Int64>? = nil) {
        let m = memory.metadata
        let profile = m[Mem0MetadataKey.profileID]?.int64Value
        self.init(mem0UserID: memory.userID,
                  profileID: profile.flatMap { knownProfiles == nil || knownProfiles!.contains($0) ? $0 : nil },
                  memoryType: m[Mem0MetadataKey.memoryType]?.stringValue,
                  tags: m[Mem0MetadataKey.tags]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// The Mem0 metadata keys that carry these values (the user is not metadata, and cannot change in Mem0).
    public var mem0Metadata: [String: JSONValue] {
        [Mem0MetadataKey.profileID: profileID.map(JSONValue.int) ?? .null,
         Mem0MetadataKey.memoryType: memoryType.map(JSONValue.string) ?? .null,
         Mem0MetadataKey.tags: .array(tags.map(JSONValue.string))]
    }

    /// The fields where `self` (the metadata row) and `other` (the Mem0 record) differ.
    public func differences(from other: MemoryLinkValues) -> [FieldDifference] {
        var result: [FieldDifference] = []
        if mem0UserID != other.mem0UserID {
            result.append(FieldDifference(field: .user, metadataValue: mem0UserID ?? "null", mem0Value: other.mem0UserID ?? "null"))
        }
        if profileID != other.profileID {
            result.append(FieldDifference(field: .profile, metadataValue: profileID.map(String.init) ?? "null",
                                          mem0Value: other.profileID.map(String.init) ?? "null"))
        }
        if memoryType != other.memoryType {
            result.append(FieldDifference(field: .memoryType, metadataValue: memoryType ?? "null", mem0Value: other.memoryType ?? "null"))
        }
        if Set(tags) != Set(other.tags) {
            result.append(FieldDifference(field: .tags, metadataValue: LegacyTags(tags).jsonArrayText,
                                          mem0Value: LegacyTags(other.tags).jsonArrayText))
        }
        return result
    }
}

public enum DriftField: String, Sendable, Codable, CaseIterable {
    case user, profile, memoryType = "memory_type", tags
}

/// One field that differs, with both values as text (`null` for none; tags as a JSON array).
public struct FieldDifference: Sendable, Equatable, Codable {
    public var field: DriftField
    public var metadataValue: String
    public var mem0Value: String
}

/// One thing the audit found out of step.
public struct DriftFinding: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A metadata row whose Mem0 memory is gone (Mem0 answered "no such memory" for its id).
        case dangling
        /// A Mem0 memory of one of the file's users that no metadata row links.
        case unlinked
        /// A row and its memory disagree on user, profile, memory_type or tags.
        case disagreeing
    }
    public var kind: Kind
    public var metadataID: Int64?
    public var mem0MemoryID: String
    /// The SQLite user: the row's, or (unlinked) the file user whose Mem0 user id holds the memory.
    public var userID: Int64?
    public var mem0UserID: String?
    public var metadataSide: MemoryLinkValues?
    public var mem0Side: MemoryLinkValues?
    /// The Mem0 record (text, metadata, times), when it exists.
    public var memory: Mem0Memory?
    public var differences: [FieldDifference] = []
}

/// The audit's answer: two equations and every finding.
///
/// `metadataRows = linkedOK + dangling + disagreeing` (rows of the audited users) and
/// `mem0Memories = linked + unlinked` (memories Mem0 lists for the audited users).
public struct DriftAuditResult: Sendable, Equatable {
    public var metadataRows = 0
    public var linkedOK = 0
    public var dangling = 0
    public var disagreeing = 0
    public var mem0Memories = 0
    public var linked = 0
    public var unlinked = 0
    public var usersInFile = 0
    public var usersAudited = 0
    public var sampled = false
    /// OSS users whose list came back at the 1,000 cap: memories beyond it could not be seen.
    public var usersAtServerCap: [String] = []
    public var findings: [DriftFinding] = []
    public var notes: [String] = []

    public init() {}

    public var isClean: Bool { dangling == 0 && disagreeing == 0 && unlinked == 0 }
    public var metadataEquationHolds: Bool { metadataRows == linkedOK + dangling + disagreeing }
    public var mem0EquationHolds: Bool { mem0Memories == linked + unlinked }
}

/// Why an audit, a repair or its undo cannot go on, with what to do next.
public enum DriftAuditError: Error, Sendable, Equatable {
    /// The file has no `memories_metadata` table: it was never migrated (or is not the app's file).
    case noMetadataTable(path: String)
    /// The repair would re-sync disagreeing fields but no direction was given.
    case directionRequired(disagreeing: Int)
    /// `repair --undo RUN` names no run in the repair journal.
    case repairRunNotFound(runID: String, known: [String])
    /// `repair --undo RUN` restored what it could; these rows changed since the repair and were left alone.
    case undoConflicts(runID: String, restored: Int, conflicts: [String])

    public var operatorMessage: String {
        switch self {
        case .noMetadataTable(let path):
            return "\(path) has no memories_metadata table, so there is nothing to audit. Migrate it first ('memconsole migrate \(path)'), or check 'memconsole info \(path)'."
        case .directionRequired(let n):
            return "\(n) metadata row(s) disagree with their Mem0 memory and no direction was given. Pass --direction to-metadata (copy Mem0's values into the rows) or --direction to-mem0 (write the rows' values into Mem0), or leave them out with --only dangling / --only unlinked."
        case .repairRunNotFound(let runID, let known):
            let list = known.isEmpty ? "the file has no repair runs" : "known runs: \(known.suffix(5).joined(separator: ", "))"
            return "No repair run \(runID) in this file (\(list)). Check the id printed by 'memconsole repair --apply'."
        case .undoConflicts(let runID, let restored, let conflicts):
            return "Undo of repair run \(runID) restored \(restored) change(s) but left \(conflicts.count) alone because they changed after the repair (\(conflicts.prefix(5).joined(separator: "; "))). Inspect those rows and fix them by hand."
        }
    }
}

extension DriftAuditError: LocalizedError {
    public var errorDescription: String? { operatorMessage }
}
