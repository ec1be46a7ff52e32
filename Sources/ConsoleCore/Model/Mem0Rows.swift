import Foundation

/// A Mem0 memory as the console lists it: the record and where it stands in the file (`MemoryLink`: the metadata
/// row that links it and the legacy row it came from).
public struct Mem0MemoryRow: Equatable, Sendable {
    public var id: String
    public var text: String
    /// The memory's metadata as compact JSON with sorted keys ("{}" when the server sent none).
    public var metadata: String
    public var createdAt: Date?
    public var updatedAt: Date?
    /// The `memories_metadata` row linking this memory; nil: no row links it (an unlinked memory).
    public var metadataID: Int64?
    /// The legacy `memories.id` the migration sent as this memory; nil for memories the app wrote later.
    public var legacyID: Int64?
    /// The search score (higher is closer); nil outside search results.
    public var score: Double?

    public init(id: String, text: String, metadata: String, createdAt: Date?, updatedAt: Date?, metadataID: Int64?,
                legacyID: Int64?, score: Double? = nil) {
        self.id = id; self.text = text; self.metadata = metadata; self.createdAt = createdAt; self.updatedAt = updatedAt
        self.metadataID = metadataID; self.legacyID = legacyID; self.score = score
    }
}

/// One page of a user's Mem0 memories (Platform pages of 200; OSS one list, capped at 1,000).
public struct Mem0MemoriesPage: Equatable, Sendable {
    public var mem0UserID: String
    public var rows: [Mem0MemoryRow]
    public var nextPage: Int?
    /// Platform's count of the user's memories; nil on OSS.
    public var totalCount: Int?
    /// OSS returned its 1,000 cap: the user may hold more than can be listed.
    public var reachedServerCap: Bool

    public init(mem0UserID: String, rows: [Mem0MemoryRow], nextPage: Int?, totalCount: Int?, reachedServerCap: Bool) {
        self.mem0UserID = mem0UserID; self.rows = rows; self.nextPage = nextPage; self.totalCount = totalCount
        self.reachedServerCap = reachedServerCap
    }
}

/// Which user's Mem0 memories (the root names the Mem0 user from the legacy id and username).
public struct Mem0UserRef: Equatable, Hashable, Sendable {
    public var legacyUserID: Int64
    public var username: String
    public init(legacyUserID: Int64, username: String) { self.legacyUserID = legacyUserID; self.username = username }
}

/// A row of the file as SQLite stores it: each column's name, storage class and value as text (blobs in hex), for
/// the raw view (tags and dates exactly as written).
public struct StoredRowView: Equatable, Sendable {
    public struct Column: Equatable, Sendable {
        public var name: String
        public var storageClass: String
        public var value: String
        public init(name: String, storageClass: String, value: String) {
            self.name = name; self.storageClass = storageClass; self.value = value
        }
    }
    public var table: String
    public var id: Int64
    public var columns: [Column]
    public init(table: String, id: Int64, columns: [Column]) { self.table = table; self.id = id; self.columns = columns }
}

/// The rows a Mem0 memory leads to in the file: its metadata row and the legacy row it came from.
public struct MemoryRowsRef: Equatable, Hashable, Sendable {
    public var mem0MemoryID: String
    public var metadataID: Int64?
    public var legacyID: Int64?
    public init(mem0MemoryID: String, metadataID: Int64?, legacyID: Int64?) {
        self.mem0MemoryID = mem0MemoryID; self.metadataID = metadataID; self.legacyID = legacyID
    }
}
