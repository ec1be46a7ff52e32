import Foundation
import Mem0Client

/// Finds the copies of one legacy row that a run stored in Mem0, by the `legacy_id` and `migration_run_id` metadata.
///
/// The client's metadata lookup (OSS: `POST /search` with filters) ranks by similarity to a query and drops
/// results under the threshold, so with the local server's embedder a row whose text scores below 0 against the query
/// is not returned (seen in MigrationRunTests). The user's full list (≤ 1000 on OSS, every page on the Platform) is
/// therefore read too and filtered here; a user with more than the OSS can list relies on the search alone.
enum Mem0Lookup {
    static func copies(of legacyID: Int64, user: String, runID: String, client: Mem0Client) async throws -> [String] {
        let key = JSONValue.int(legacyID)
        let run = JSONValue.string(runID)
        func mine(_ memory: Mem0Memory) -> Bool {
            memory.metadata[Mem0MetadataKey.legacyID] == key && memory.metadata[Mem0MetadataKey.runID] == run
        }
        var ids = Set(try await client.memories(userID: user, metadataKey: Mem0MetadataKey.legacyID, value: key)
            .memories.filter(mine).map(\.id))
        let list = try await client.memories(userID: user)
        ids.formUnion(list.memories.filter(mine).map(\.id))
        return ids.sorted()
    }
}
