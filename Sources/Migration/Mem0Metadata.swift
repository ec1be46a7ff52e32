import Foundation
import Mem0Client
import Storage

/// The metadata keys the migration writes on each Mem0 memory.
///
/// All namespaced (`legacy_*`, `migration_run_id`): both dialects drop or overwrite reserved keys (`user_id`,
/// `agent_id`, `run_id`, `actor_id`, `role`, `hash`, `data`, `id`, `text_lemmatized`, `updated_at`,
/// `expiration_date`, `attributed_to`), and `created_at` is left to `Mem0AddRequest.createdAt`, which the client sends
/// the dialect's way (Platform `timestamp`, OSS `metadata.created_at`).
public enum Mem0MetadataKey {
    public static let legacyID = "legacy_id"
    public static let memoryType = "legacy_memory_type"
    public static let tags = "legacy_tags"
    public static let importanceScore = "legacy_importance_score"
    public static let mentionedCount = "legacy_mentioned_count"
    public static let profileID = "legacy_profile_id"
    public static let updatedAt = "legacy_updated_at"
    public static let source = "legacy_source"
    public static let runID = "migration_run_id"
    public static let duplicateIDs = "legacy_duplicate_ids"
}

extension LegacyRow {
    /// The add request for this row: one `user` message, its text byte for byte, `infer=false` (the client's add
    /// always sends it), the original created_at.
    func addRequest(mem0UserID: String, runID: String, sourceFile: String, duplicateIDs: [Int64]) -> Mem0AddRequest {
        var metadata: [String: JSONValue] = [
            Mem0MetadataKey.legacyID: .int(id),
            Mem0MetadataKey.memoryType: memoryType.map(JSONValue.string) ?? .null,
            Mem0MetadataKey.tags: .array(tags.map(JSONValue.string)),
            Mem0MetadataKey.importanceScore: importanceScore.map(JSONValue.double) ?? .null,
            Mem0MetadataKey.mentionedCount: mentionedCount.map { .int(Int64($0)) } ?? .null,
            Mem0MetadataKey.profileID: profileID.map(JSONValue.int) ?? .null,
            Mem0MetadataKey.updatedAt: updatedAt.map { .string(ISOTime.string(from: $0)) } ?? .null,
            Mem0MetadataKey.source: .string(sourceFile),
            Mem0MetadataKey.runID: .string(runID),
        ]
        if !duplicateIDs.isEmpty { metadata[Mem0MetadataKey.duplicateIDs] = .array(duplicateIDs.map(JSONValue.int)) }
        return Mem0AddRequest(text: text ?? "", userID: mem0UserID, metadata: metadata, createdAt: createdAt)
    }
}

extension Mem0MemoryValues {
    /// Reads back what the migration stored on a memory.
    public init(_ memory: Mem0Memory) {
        let m = memory.metadata
        self.init(id: memory.id, text: memory.text,
                  memoryType: m[Mem0MetadataKey.memoryType]?.stringValue,
                  tags: m[Mem0MetadataKey.tags]?.arrayValue?.compactMap(\.stringValue),
                  importanceScore: m[Mem0MetadataKey.importanceScore]?.doubleValue,
                  mentionedCount: m[Mem0MetadataKey.mentionedCount]?.int64Value.map { Int($0) },
                  profileID: m[Mem0MetadataKey.profileID]?.int64Value,
                  createdAt: memory.createdAt,
                  updatedAt: m[Mem0MetadataKey.updatedAt]?.stringValue.flatMap(ISOTime.date(from:)))
    }
}

extension MemoryComparison {
    /// Compares a Mem0 memory (or its absence) with a legacy row as Storage decodes it.
    public init(legacy: LegacyMemoryValues, memory: Mem0Memory?) {
        self.init(legacy: legacy, record: memory.map(Mem0MemoryValues.init))
    }
}

extension LegacyMemoryValues {
    /// The comparison's view of Storage's legacy record (for the console's diff screen).
    public init(_ memory: LegacyMemory) {
        self.init(id: memory.id ?? 0, content: memory.content, memoryType: memory.memoryType, tags: memory.tags.values,
                  importanceScore: memory.importanceScore, mentionedCount: memory.mentionedCount,
                  profileID: memory.profileID, createdAt: memory.createdAt.date, updatedAt: memory.updatedAt.date)
    }
}
