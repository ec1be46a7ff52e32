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
        var ids = Set(try await retryingMem0 {
            try await client.memories(userID: user, metadataKey: Mem0MetadataKey.legacyID, value: key)
        }.memories.filter(mine).map(\.id))
        let list = try await retryingMem0 { try await client.memories(userID: user) }
        ids.formUnion(list.memories.filter(mine).map(\.id))
        return ids.sorted()
    }
}

/// Retries an idempotent Mem0 call (lookup, list, get, delete) on transient failures, on top of the client's own
/// retries: a migration that has sent 100k rows should not stop because one lookup met three 502s in a row.
/// A refused key or a non-transient error is thrown at once.
func retryingMem0<T: Sendable>(attempts: Int = 8, _ body: @Sendable () async throws -> T) async throws -> T {
    var attempt = 0
    while true {
        attempt += 1
        do {
            return try await body()
        } catch let error as Mem0Error where isWorthRetrying(error) && attempt < attempts {
            try await backoffPause(attempt: attempt)
        }
    }
}

/// Transient by the client's rule, or any 5xx: for a request that changes nothing (or a delete) a 500 is worth
/// another try.
func isWorthRetrying(_ error: Mem0Error) -> Bool {
    if error.isTransient { return true }
    if case .server(let status, _, _) = error { return status >= 500 }
    return false
}
