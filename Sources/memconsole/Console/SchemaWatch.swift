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
    private var movedUnnoticed = false

    func check(_ db: Database) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        let changed = lock.withLock {
            defer { seenVersion = version }
            if seenVersion != nil, seenVersion != version { movedUnnoticed = true }
            return seenVersion != version
        }
        if changed { db.clearSchemaCache() }
    }

    /// Whether the schema moved since the last call (another program migrated, resumed or rolled the file back):
    /// the caller then inspects the file again, so the status line and the lists follow without a restart.
    func takeMove() -> Bool {
        lock.withLock {
            defer { movedUnnoticed = false }
            return movedUnnoticed
        }
    }
}
