import Foundation
import GRDB
import Mem0Client
import Storage

/// Which way a disagreeing row and memory are brought back into step.
public enum RepairDirection: String, Sendable, Codable, CaseIterable {
    /// Mem0 is right: copy the memory's user, profile, memory_type and tags into the metadata row.
    case toMetadata = "to-metadata"
    /// The row is right: merge its profile, memory_type and tags into the memory's metadata (a Mem0 user id cannot
    /// change, so a user disagreement is skipped in this direction).
    case toMem0 = "to-mem0"
}

/// What a repair run may do.
public struct RepairOptions: Sendable, Equatable {
    /// Repair only this kind of finding; nil: every kind.
    public var only: DriftFinding.Kind?
    /// Required when disagreeing findings are in scope.
    public var direction: RepairDirection?
    /// Delete unlinked Mem0 memories instead of adopting them. The only way a repair deletes anything in Mem0, and
    /// it cannot be undone.
    public var deleteUnlinkedMemories: Bool

    public init(only: DriftFinding.Kind? = nil, direction: RepairDirection? = nil, deleteUnlinkedMemories: Bool = false) {
        self.only = only; self.direction = direction; self.deleteUnlinkedMemories = deleteUnlinkedMemories
    }

    var journalText: String {
        "only=\(only?.rawValue ?? "all") direction=\(direction?.rawValue ?? "none") delete_unlinked_memories=\(deleteUnlinkedMemories)"
    }
}

/// One change a repair makes.
public struct RepairAction: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Delete a dangling metadata row (its memory is gone).
        case deleteMetadataRow = "delete_metadata_row"
        /// Create the metadata row of an unlinked memory from the memory's user and metadata.
        case adoptMemory = "adopt_memory"
        /// Copy the memory's values into the row.
        case syncToMetadata = "sync_to_metadata"
        /// Merge the row's values into the memory's metadata.
        case syncToMem0 = "sync_to_mem0"
        /// Delete an unlinked memory in Mem0 (only with `deleteUnlinkedMemories`; cannot be undone).
        case deleteMem0Memory = "delete_mem0_memory"
    }
    public var kind: Kind
    public var finding: DriftFinding
    /// The fields a sync changes (all differing ones, less what the direction cannot change).
    public var fields: [DriftField]

    /// One line for the list an operator confirms.
    public var summary: String {
        let row = finding.metadataID.map { "metadata row \($0)" } ?? "no metadata row"
        switch kind {
        case .deleteMetadataRow:
            return "delete \(row) (user \(finding.userID.map(String.init) ?? "?")): Mem0 has no memory \(finding.mem0MemoryID)"
        case .adoptMemory:
            let side = finding.mem0Side
            return "adopt Mem0 memory \(finding.mem0MemoryID) of \(finding.mem0UserID ?? "?"): new metadata row for user \(finding.userID.map(String.init) ?? "?"), profile \(side?.profileID.map(String.init) ?? "null"), type \(side?.memoryType ?? "null"), tags \(LegacyTags(side?.tags ?? []).jsonArrayText)"
        case .syncToMetadata, .syncToMem0:
            let arrow = kind == .syncToMetadata ? "Mem0 → row" : "row → Mem0"
            let changes = finding.differences.filter { fields.contains($0.field) }.map {
                kind == .syncToMetadata ? "\($0.field.rawValue) \($0.metadataValue) → \($0.mem0Value)"
                    : "\($0.field.rawValue) \($0.mem0Value) → \($0.metadataValue)"
            }
            return "sync \(row) / \(finding.mem0MemoryID) (\(arrow)): \(changes.joined(separator: ", "))"
        case .deleteMem0Memory:
            return "DELETE Mem0 memory \(finding.mem0MemoryID) of \(finding.mem0UserID ?? "?") (no metadata row links it; cannot be undone)"
        }
    }
}

/// A finding the plan leaves alone, and why.
public struct RepairSkip: Sendable, Equatable {
    public var finding: DriftFinding
    public var reason: String
}

/// The repairs for one audit, listed before anything runs.
public struct RepairPlan: Sendable, Equatable {
    public var options: RepairOptions
    public var actions: [RepairAction]
    public var skipped: [RepairSkip]

    /// Plans the repairs of `audit`'s findings. Pure. Throws `DriftAuditError.directionRequired` when disagreeing
    /// findings are in scope without a direction.
    public init(audit: DriftAuditResult, options: RepairOptions) throws {
        self.options = options
        var actions: [RepairAction] = []
        var skipped: [RepairSkip] = []
        let inScope = audit.findings.filter { options.only == nil || $0.kind == options.only }
        let disagreeing = inScope.filter { $0.kind == .disagreeing }.count
        if disagreeing > 0 && options.direction == nil { throw DriftAuditError.directionRequired(disagreeing: disagreeing) }
        for finding in inScope {
            switch finding.kind {
            case .dangling:
                actions.append(RepairAction(kind: .deleteMetadataRow, finding: finding, fields: []))
            case .unlinked:
                if options.deleteUnlinkedMemories {
                    actions.append(RepairAction(kind: .deleteMem0Memory, finding: finding, fields: []))
                } else if finding.userID == nil {
                    skipped.append(RepairSkip(finding: finding, reason: "no file user maps to Mem0 user \(finding.mem0UserID ?? "null")"))
                } else {
                    actions.append(RepairAction(kind: .adoptMemory, finding: finding, fields: []))
                }
            case .disagreeing:
                let fields = finding.differences.map(\.field)
                if options.direction == .toMem0 {
                    let settable = fields.filter { $0 != .user }
                    if fields.contains(.user) {
                        skipped.append(RepairSkip(finding: finding, reason: "a Mem0 memory's user cannot change; repair the user with --direction to-metadata"))
                    }
                    if !settable.isEmpty { actions.append(RepairAction(kind: .syncToMem0, finding: finding, fields: settable)) }
                } else {
                    actions.append(RepairAction(kind: .syncToMetadata, finding: finding, fields: fields))
                }
            }
        }
        self.actions = actions
        self.skipped = skipped
    }
}

/// What an applied repair did.
public struct RepairRun: Sendable, Equatable {
    public var runID: String
    public var applied: [RepairAction]
    /// Planned actions that found the file or Mem0 changed since the audit (or could not be resolved), left alone.
    public var skipped: [RepairSkip]
}

/// What an undo did.
public struct RepairUndo: Sendable, Equatable {
    public var runID: String
    public var restored: Int
    /// Changes left alone: the row or memory changed after the repair, or the change cannot be undone.
    public var conflicts: [String]
}

/// Applies a `RepairPlan` to a file and Mem0, journaling each change, and undoes a journaled run.
///
/// Each metadata change is one transaction with its journal row; a Mem0 change is journaled first and forgotten
/// again if Mem0 refuses it. Nothing is changed that differs from what the audit saw: a row deleted as dangling must
/// still point at the same memory, a memory adopted must still be unlinked.
public struct DriftRepair: Sendable {
    public let file: URL
    public let client: Mem0Client
    /// How Mem0 user ids are made from the file's users (to resolve a Mem0 user back to a file user); nil: the
    /// migration run's mapping, else user id without prefix.
    public var mapping: Mem0UserMapping?

    public init(file: URL, client: Mem0Client, mapping: Mem0UserMapping? = nil) {
        self.file = file; self.client = client; self.mapping = mapping
    }

    public func apply(_ plan: RepairPlan) async throws -> RepairRun {
        let database = try MigrationFile.open(file, forWriting: true)
        defer { try? database.close() }
        try MigrationFile.requireChatDatabase(database, path: file.path)
        let queue = database.writer
        let runID = MigrationFile.newRunID()
        let fileUsers = try await queue.write { db -> [String: Int64] in
            try RepairJournal.create(db)
            try RepairJournal.insertRun(id: runID, options: plan.options.journalText, db)
            let snapshot = try DriftSnapshot.read(db, path: file.path)
            let mapping = self.mapping ?? snapshot.runMapping ?? Mem0UserMapping()
            var users: [String: Int64] = [:]
            for (id, username) in snapshot.usernames.sorted(by: { $0.key < $1.key }) {
                if let mem0 = mapping.mem0UserID(legacyUserID: id, username: username), users[mem0] == nil { users[mem0] = id }
            }
            return users
        }
        var applied: [RepairAction] = []
        var skipped: [RepairSkip] = []
        for action in plan.actions {
            if let reason = try await apply(action, runID: runID, fileUsers: fileUsers, queue: queue) {
                skipped.append(RepairSkip(finding: action.finding, reason: reason))
            } else {
                applied.append(action)
            }
        }
        return RepairRun(runID: runID, applied: applied, skipped: skipped)
    }

    /// Applies one action; returns why it was left alone, or nil when it was applied.
    private func apply(_ action: RepairAction, runID: String, fileUsers: [String: Int64], queue: DatabaseQueue)
        async throws -> String? {
        let finding = action.finding
        switch action.kind {
        case .deleteMetadataRow:
            guard let id = finding.metadataID else { return "no metadata row" }
            return try await queue.write { db -> String? in
                guard let before = try StoredRow.fetch(metadataID: id, db) else { return "the row is gone already" }
                guard try MemoryMetadata.fetchOne(db, key: id)?.mem0MemoryID == finding.mem0MemoryID else {
                    return "the row now links another memory"
                }
                try db.execute(sql: "DELETE FROM memories_metadata WHERE id = ?", arguments: [id])
                try RepairJournal.record(runID: runID, action: .deleteMetadataRow, metadataID: id,
                                         mem0MemoryID: finding.mem0MemoryID, before: before.json, after: nil, db)
                return nil
            }
        case .adoptMemory:
            guard let userID = finding.userID, let side = finding.mem0Side else { return "no file user for the memory" }
            let memory = finding.memory
            return try await queue.write { db -> String? in
                if try MemoryMetadata.filter(Column("mem0_memory_id") == finding.mem0MemoryID).fetchCount(db) > 0 {
                    return "a metadata row links it now"
                }
                let created = memory?.createdAt.map(LegacyDate.init) ?? .now()
                var row = MemoryMetadata(userID: userID, profileID: side.profileID, mem0MemoryID: finding.mem0MemoryID,
                                         memoryType: side.memoryType, tags: LegacyTags(side.tags), createdAt: created,
                                         updatedAt: memory?.updatedAt.map(LegacyDate.init) ?? created)
                try row.insert(db)
                guard let id = row.id, let after = try StoredRow.fetch(metadataID: id, db) else { return "the insert left no row" }
                try RepairJournal.record(runID: runID, action: .adoptMemory, metadataID: id,
                                         mem0MemoryID: finding.mem0MemoryID, before: nil, after: after.json, db)
                return nil
            }
        case .syncToMetadata:
            guard let id = finding.metadataID, let side = finding.mem0Side else { return "no metadata row" }
            let newUserID = action.fields.contains(.user) ? side.mem0UserID.flatMap({ fileUsers[$0] }) : nil
            if action.fields.contains(.user) && newUserID == nil {
                return "Mem0 user \(side.mem0UserID ?? "null") is no user of this file"
            }
            return try await queue.write { db -> String? in
                guard let before = try StoredRow.fetch(metadataID: id, db), var row = try MemoryMetadata.fetchOne(db, key: id),
                      row.mem0MemoryID == finding.mem0MemoryID else { return "the row changed since the audit" }
                if let newUserID { row.userID = newUserID }
                if action.fields.contains(.profile) { row.profileID = side.profileID }
                if action.fields.contains(.memoryType) { row.memoryType = side.memoryType }
                if action.fields.contains(.tags) { row.tags = LegacyTags(side.tags) }
                row.updatedAt = .now()
                try row.update(db)
                guard let after = try StoredRow.fetch(metadataID: id, db) else { return "the update left no row" }
                try RepairJournal.record(runID: runID, action: .syncToMetadata, metadataID: id,
                                         mem0MemoryID: finding.mem0MemoryID, before: before.json, after: after.json, db)
                return nil
            }
        case .syncToMem0:
            guard let rowSide = finding.metadataSide, let mem0Side = finding.mem0Side else { return "nothing to sync" }
            let keys = Self.metadataKeys(for: action.fields)
            let after = rowSide.mem0Metadata.filter { keys.contains($0.key) }
            let before = mem0Side.mem0Metadata.filter { keys.contains($0.key) }
            let seq = try await queue.write { db in
                try RepairJournal.record(runID: runID, action: .syncToMem0, metadataID: finding.metadataID,
                                         mem0MemoryID: finding.mem0MemoryID, before: JSONValue.object(before).serialized(),
                                         after: JSONValue.object(after).serialized(), db)
            }
            do {
                let found = try await PacedRequests.one(client: client).map([finding.mem0MemoryID], context: DriftAudit.mem0Context) { [client] id in
                    try await client.updateMetadata(id: id, merging: after)
                }
                if found.first == true { return nil }
                try await queue.write { try RepairJournal.forget(seq: seq, $0) }
                return "the memory is gone from Mem0"
            } catch {
                try? await queue.write { try RepairJournal.forget(seq: seq, $0) }
                throw error
            }
        case .deleteMem0Memory:
            let record: JSONValue = ["text": .string(finding.memory?.text ?? ""), "user_id": finding.mem0UserID.map(JSONValue.string) ?? .null,
                                     "metadata": .object(finding.memory?.metadata ?? [:])]
            _ = try await queue.write { db in
                try RepairJournal.record(runID: runID, action: .deleteMem0Memory, metadataID: nil,
                                         mem0MemoryID: finding.mem0MemoryID, before: record.serialized(), after: nil, db)
            }
            _ = try await PacedRequests.one(client: client).map([finding.mem0MemoryID], context: DriftAudit.mem0Context) { [client] id in
                try await client.delete(id: id)
            }
            return nil
        }
    }

    static func metadataKeys(for fields: [DriftField]) -> Set<String> {
        Set(fields.compactMap { field -> String? in
            switch field {
            case .user: return nil
            case .profile: return Mem0MetadataKey.profileID
            case .memoryType: return Mem0MetadataKey.memoryType
            case .tags: return Mem0MetadataKey.tags
            }
        })
    }

    /// Undoes a journaled run, newest change first: puts back deleted rows, removes adopted rows, restores synced rows
    /// and merges the old Mem0 metadata back. A change whose row or memory moved on since the repair is left alone and
    /// reported (`DriftAuditError.undoConflicts` when there are any). Deleted Mem0 memories cannot come back.
    public func undo(runID: String) async throws -> RepairUndo {
        let database = try MigrationFile.open(file, forWriting: true)
        defer { try? database.close() }
        try MigrationFile.requireChatDatabase(database, path: file.path)
        let queue = database.writer
        let changes = try await queue.read { db -> [RepairJournal.Change] in
            let known = try RepairJournal.runIDs(db)
            guard known.contains(runID) else { throw DriftAuditError.repairRunNotFound(runID: runID, known: known) }
            return try RepairJournal.pendingChanges(runID: runID, db)
        }
        var restored = 0
        var conflicts: [String] = []
        for change in changes {
            if let conflict = try await undo(change, queue: queue) {
                conflicts.append(conflict)
            } else {
                restored += 1
            }
        }
        let undoneCompletely = conflicts.isEmpty
        try await queue.write { db in
            // The AUTOINCREMENT counter goes back too, unless rows were inserted after the repair.
            if let recorded = try RepairJournal.recordedSequence(runID: runID, db),
               let highest = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM memories_metadata"), highest <= recorded {
                try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'memories_metadata'", arguments: [recorded])
            }
            if undoneCompletely { try RepairJournal.markRunUndone(runID: runID, db) }
        }
        let result = RepairUndo(runID: runID, restored: restored, conflicts: conflicts)
        if !conflicts.isEmpty {
            throw DriftAuditError.undoConflicts(runID: runID, restored: restored, conflicts: conflicts)
        }
        return result
    }

    private func undo(_ change: RepairJournal.Change, queue: DatabaseQueue) async throws -> String? {
        switch change.action {
        case .deleteMetadataRow:
            guard let id = change.metadataID, let before = change.before.flatMap(StoredRow.init(json:)) else {
                return "change \(change.seq): the journal entry is unreadable"
            }
            return try await queue.write { db -> String? in
                if try StoredRow.fetch(metadataID: id, db) != nil { return "row \(id) exists again" }
                if let memoryID = change.mem0MemoryID,
                   try MemoryMetadata.filter(Column("mem0_memory_id") == memoryID).fetchCount(db) > 0 {
                    return "another row links \(memoryID) now"
                }
                try before.insert(db)
                try RepairJournal.markUndone(seq: change.seq, db)
                return nil
            }
        case .adoptMemory, .syncToMetadata:
            guard let id = change.metadataID, let after = change.after.flatMap(StoredRow.init(json:)) else {
                return "change \(change.seq): the journal entry is unreadable"
            }
            let before = change.before.flatMap(StoredRow.init(json:))
            return try await queue.write { db -> String? in
                guard try StoredRow.fetch(metadataID: id, db) == after else { return "row \(id) changed after the repair" }
                if let before {
                    try before.overwrite(metadataID: id, db)
                } else {
                    try db.execute(sql: "DELETE FROM memories_metadata WHERE id = ?", arguments: [id])
                }
                try RepairJournal.markUndone(seq: change.seq, db)
                return nil
            }
        case .syncToMem0:
            guard let memoryID = change.mem0MemoryID,
                  let before = change.before.flatMap({ try? JSONValue.parse(Data($0.utf8)) })?.objectValue,
                  let after = change.after.flatMap({ try? JSONValue.parse(Data($0.utf8)) })?.objectValue else {
                return "change \(change.seq): the journal entry is unreadable"
            }
            let client = self.client
            let current = try await PacedRequests.one(client: client).map([memoryID], context: DriftAudit.mem0Context) { try await client.memory(id: $0) }
            guard let memory = current.first ?? nil else { return "Mem0 memory \(memoryID) is gone" }
            guard after.allSatisfy({ memory.metadata[$0.key] ?? .null == $0.value }) else {
                return "Mem0 memory \(memoryID) changed after the repair"
            }
            _ = try await PacedRequests.one(client: client).map([memoryID], context: DriftAudit.mem0Context) {
                try await client.updateMetadata(id: $0, merging: before)
            }
            try await queue.write { try RepairJournal.markUndone(seq: change.seq, $0) }
            return nil
        case .deleteMem0Memory:
            return "Mem0 memory \(change.mem0MemoryID ?? "?") was deleted and cannot be brought back (its text and metadata are in the repair journal, change \(change.seq))"
        }
    }
}
