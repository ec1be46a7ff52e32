import Foundation
import GRDB

/// A row of `memories_metadata`: the local half of a memory whose content lives in Mem0.
///
/// This model stores metadata for memories managed by Mem0. The memory's content, embeddings, importance score and
/// mention count are stored in Mem0 (the migration keeps the legacy score and count in the Mem0 memory's metadata);
/// `mem0MemoryID` is the id of that Mem0 memory, unique per row. Ask `Mem0Client` for the content.
public struct MemoryMetadata: Sendable, Hashable, Identifiable {
    public var id: Int64?
    public var userID: Int64
    public var profileID: Int64?
    public var memoryType: String?
    public var tags: LegacyTags
    public var createdAt: LegacyDate
    public var updatedAt: LegacyDate
    /// The id of the Mem0 memory holding this memory's content.
    public var mem0MemoryID: String

    public init(id: Int64? = nil, userID: Int64, profileID: Int64?, mem0MemoryID: String,
                memoryType: String? = "fact", tags: LegacyTags = LegacyTags([]),
                createdAt: LegacyDate = .now(), updatedAt: LegacyDate? = nil) {
        self.id = id; self.userID = userID; self.profileID = profileID; self.mem0MemoryID = mem0MemoryID
        self.memoryType = memoryType; self.tags = tags; self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}

extension MemoryMetadata: CustomStringConvertible {
    /// The seed's `__repr__`: `<MemoryMetadata(id=1, user_id=2, mem0_memory_id='…', type='fact')>`.
    public var description: String {
        "<MemoryMetadata(id=\(id.map(String.init) ?? "None"), user_id=\(userID), "
            + "mem0_memory_id='\(mem0MemoryID)', type='\(memoryType ?? "None")')>"
    }
}

extension MemoryMetadata {
    /// The seed's `to_dict()`: snake_case keys, tags as a list, dates as ISO 8601 (UTC), nil as JSON null.
    /// Content is not here: it is in Mem0, under `mem0_memory_id`.
    public var dictionary: [String: MetadataValue] {
        [
            "id": id.map(MetadataValue.integer) ?? .null,
            "user_id": .integer(userID),
            "memory_profile_id": profileID.map(MetadataValue.integer) ?? .null,
            "memory_type": memoryType.map(MetadataValue.string) ?? .null,
            "tags": .strings(tags.values),
            "created_at": .string(createdAt.iso8601),
            "updated_at": .string(updatedAt.iso8601),
            "mem0_memory_id": .string(mem0MemoryID),
        ]
    }

    /// `dictionary` as JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(dictionary)
    }

    /// A value of `dictionary`.
    public enum MetadataValue: Sendable, Hashable, Encodable {
        case null, integer(Int64), string(String), strings([String])

        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .null: try c.encodeNil()
            case .integer(let i): try c.encode(i)
            case .string(let s): try c.encode(s)
            case .strings(let list): try c.encode(list)
            }
        }
    }
}

extension MemoryMetadata: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "memories_metadata"

    public static let user = belongsTo(User.self, using: ForeignKey(["user_id"]))
    public static let profile = belongsTo(MemoryProfile.self, using: ForeignKey(["memory_profile_id"]))

    public init(row: Row) throws {
        id = LegacyValue.integer(row["id"])
        userID = LegacyValue.integer(row["user_id"]) ?? 0
        profileID = LegacyValue.integer(row["memory_profile_id"])
        memoryType = LegacyValue.text(row["memory_type"])
        tags = LegacyTags(raw: LegacyValue.text(row["tags"]))
        createdAt = LegacyDate(storedValue: row["created_at"])
        updatedAt = LegacyDate(storedValue: row["updated_at"])
        mem0MemoryID = LegacyValue.text(row["mem0_memory_id"]) ?? ""
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["user_id"] = userID
        container["memory_profile_id"] = profileID
        container["memory_type"] = memoryType
        container["tags"] = tags
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
        container["mem0_memory_id"] = mem0MemoryID
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
