import Foundation
import GRDB

/// Notices when the file's schema was changed by another connection and makes GRDB forget its cached schema.
///
/// GRDB caches `tableExists` and column lists per connection and does not see the wizard's run (another connection)
/// or a `memconsole migrate` in another terminal rename `memories` and create `memories_metadata`. Without this the
/// console kept asking for `memories` after a migration finalized ("no such table: memories"). Every read starts with
/// `PRAGMA schema_version` (a header read, microseconds) and drops the cache when it moved.
final class SchemaWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var seenVersion: Int?

    func check(_ db: Database) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        let changed = lock.withLock {
            defer { seenVersion = version }
            return seenVersion != version
        }
        if changed { db.clearSchemaCache() }
    }
}
