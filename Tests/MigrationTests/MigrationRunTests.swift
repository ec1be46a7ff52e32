import Foundation
import GRDB
import Mem0Client
@testable import Migration
import Storage
import TestSupport
import XCTest

/// The engine against the real local Mem0 server (both dialects), on demo databases with every legacy mess.
final class MigrationRunTests: XCTestCase {
    func testDryRunClassifiesAndChangesNothing() async throws {
        let file = try makeLegacyDatabase()
        let before = fingerprint(file)
        let settings = testSettings { $0.dryRun = true }
        let report = await migrate(file, client: try makeClient(), settings: settings)
        XCTAssertNil(report.failure)
        let plan = try XCTUnwrap(report.plan)
        XCTAssertEqual(plan.legacyRows, try legacyRowCount(file))
        XCTAssertEqual(plan.legacyRows, plan.migratable + plan.rejected + plan.duplicates)
        XCTAssertGreaterThan(plan.rejected, 0, "the demo file carries empty and orphan rows")
        XCTAssertGreaterThan(plan.duplicates, 0, "the demo file carries duplicates")
        XCTAssertGreaterThan(plan.estimatedSeconds, 0)
        XCTAssertEqual(report.rejected, plan.rejected)
        XCTAssertEqual(report.duplicates, plan.duplicates)
        XCTAssertEqual(fingerprint(file), before, "a dry run must not change the file")
        XCTAssertFalse(FileManager.default.fileExists(atPath: file.path + ".memconsole-logs"))
        let server = try LocalMem0Server.shared()
        for user in 1...12 { XCTAssertEqual(try server.storedCount(userID: settings.mapping.prefix + "\(user)"), 0) }
    }

    func testMigratesEveryRowOnceLeavesTheCurrentSchemaAndVerifies() async throws {
        for dialect in [Mem0Dialect.oss, .platform] {
            let file = try makeLegacyDatabase(seed: dialect == .oss ? 11 : 12)
            let original = try readDB(file.path) { try normalizedSchema($0) }
            let settings = testSettings { $0.makeBackup = true; $0.verifySample = 1000 }
            let report = await migrate(file, client: try makeClient(dialect: dialect), settings: settings)
            XCTAssertNil(report.failure, "\(dialect): \(report.failure?.operatorMessage ?? "")")
            let plan = try XCTUnwrap(report.plan)
            XCTAssertEqual(report.linked, plan.migratable, "\(dialect)")
            XCTAssertEqual(report.finalized?.linked, plan.migratable)
            let verification = try XCTUnwrap(report.verification)
            XCTAssertTrue(verification.isPassing, "\(dialect): \(verification.mismatches.prefix(3))")
            XCTAssertEqual(verification.checkedLinks, plan.migratable)
            try assertNothingLostOrDuplicated(file)

            // The file: exactly current.sql, plus memories_backup (the legacy table, its indexes) and the journal.
            let expected = try inMemorySchema { try StorageSchema.createCurrentSchema(in: $0) }
            let migrated = try readDB(file.path) { db in
                try normalizedSchema(db, excluding: ["memories_backup", MigrationJournal.runsTable, MigrationJournal.journalTable])
            }
            XCTAssertEqual(migrated, expected, "\(dialect)")
            XCTAssertEqual(try DatabaseInspector.inspect(path: file.path), .migrated)
            XCTAssertEqual(try readDB(file.path) { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "delete")
            _ = original

            // The backup: 0600, next to the file, identical rows.
            let backup = try XCTUnwrap(report.backupPath)
            let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? NSNumber
            XCTAssertEqual(mode?.intValue, 0o600)
            XCTAssertEqual(try readDB(backup) { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM memories") }, plan.legacyRows)

            // Metadata on a Mem0 memory, and the local half of the link.
            let queue = try DatabaseQueue(path: file.path)
            let (legacyID, mem0ID) = try await queue.read { db -> (Int64, String) in
                let row = try Row.fetchOne(db, sql: "SELECT legacy_id, mem0_memory_id FROM memconsole_migration_journal WHERE state = 'linked' ORDER BY legacy_id DESC LIMIT 1")!
                return (row["legacy_id"], row["mem0_memory_id"])
            }
            let memory = try await makeClient(dialect: dialect).memory(id: mem0ID)
            XCTAssertEqual(memory?.metadata[Mem0MetadataKey.legacyID], .int(legacyID))
            XCTAssertEqual(memory?.metadata[Mem0MetadataKey.runID], .string(try XCTUnwrap(report.runID)))
            XCTAssertEqual(memory?.metadata[Mem0MetadataKey.source], .string("chat.db"))
            XCTAssertNotNil(memory?.metadata[Mem0MetadataKey.tags]?.arrayValue)
            let metadataRow = try await queue.read { try MemoryMetadata.fetchOne($0, key: legacyID) }
            XCTAssertEqual(metadataRow?.mem0MemoryID, mem0ID)
            let log = file.deletingLastPathComponent().appendingPathComponent("chat.db.memconsole-logs/run-\(report.runID!).log")
            let logText = try String(contentsOf: log, encoding: .utf8)
            XCTAssertTrue(logText.contains("finalized"))
            XCTAssertFalse(logText.contains(try LocalMem0Server.shared().apiKey), "the key must never be logged")
        }
    }

    func testDuplicatesAreRecordedOnTheCanonicalMemory() async throws {
        let file = try makeLegacyDatabase(seed: 13)
        let settings = testSettings { $0.verifySample = nil }
        let report = await migrate(file, client: try makeClient(), settings: settings)
        XCTAssertNil(report.failure)
        let queue = try DatabaseQueue(path: file.path)
        let pair = try await queue.read { db in
            try Row.fetchOne(db, sql: """
                SELECT d.legacy_id AS dup, c.mem0_memory_id AS mem0 FROM memconsole_migration_journal d
                JOIN memconsole_migration_journal c ON c.legacy_id = d.duplicate_of WHERE d.state = 'duplicate' LIMIT 1
                """)
        }
        let row = try XCTUnwrap(pair)
        let memory = try await makeClient().memory(id: row["mem0"])
        let ids = memory?.metadata[Mem0MetadataKey.duplicateIDs]?.arrayValue?.compactMap(\.int64Value) ?? []
        XCTAssertTrue(ids.contains(row["dup"]), "legacy_duplicate_ids \(ids)")
    }

    func testSkippingTheBackupTableStillWritesABackupFileAndRollbackRestoresFromIt() async throws {
        let file = try makeLegacyDatabase(seed: 14)
        let original = try tableContents(file)
        let originalSchema = try readDB(file.path) { try normalizedSchema($0) }
        let client = try makeClient()
        let settings = testSettings { $0.skipBackupTable = true }
        let report = await migrate(file, client: client, settings: settings)
        XCTAssertNil(report.failure)
        XCTAssertNotNil(report.backupPath, "skip-backup-table implies a backup file")
        XCTAssertFalse(try readDB(file.path) { try $0.tableExists("memories") || $0.tableExists("memories_backup") })
        let verification = try await Verifier.verify(file: file, client: client, sample: nil)
        XCTAssertTrue(verification.isPassing, "\(verification.mismatches.prefix(3))")

        let users = try linkedPerUser(file)
        let summary = try await MigrationRollback(file: file, client: client).run()
        XCTAssertEqual(summary.deleted, report.linked)
        assertSameContents(try tableContents(file), original)
        XCTAssertEqual(try readDB(file.path) { try normalizedSchema($0) }, originalSchema)
        let server = try LocalMem0Server.shared()
        for user in users.keys { XCTAssertEqual(try server.storedCount(userID: user), 0) }
    }

    func testRollbackAfterFinalizeRestoresFromTheBackupTable() async throws {
        let file = try makeLegacyDatabase(seed: 15)
        let original = try tableContents(file)
        let client = try makeClient(dialect: .platform)
        let report = await migrate(file, client: client, settings: testSettings())
        XCTAssertNil(report.failure)
        let users = try linkedPerUser(file)
        _ = try await MigrationRollback(file: file, client: client).run()
        assertSameContents(try tableContents(file), original)
        XCTAssertEqual(try DatabaseInspector.inspect(path: file.path), .legacy)
        let server = try LocalMem0Server.shared()
        for user in users.keys { XCTAssertEqual(try server.storedCount(userID: user), 0) }
        // A second rollback has nothing to undo.
        do { _ = try await MigrationRollback(file: file, client: client).run(); XCTFail("expected noMigrationRun") }
        catch let error as MigrationError { XCTAssertEqual(error, .noMigrationRun(path: file.path)) }
    }

    func testAlreadyMigratedSaysNothingToMigrateAndPartlyMigratedSaysHowToResume() async throws {
        let file = try makeLegacyDatabase(memories: 200, seed: 16)
        let client = try makeClient()
        let settings = testSettings { $0.concurrency = 2 }
        // Stop the run midway: the consumer goes away after some links (the task is cancelled).
        var linked = 0
        let first = MigrationEngine(file: file, client: client, settings: settings)
        for await event in first.events() {
            if case .rowLinked = event { linked += 1; if linked == 40 { break } }
        }
        await first.finished()
        XCTAssertEqual(try DatabaseInspector.inspect(path: file.path), .partlyMigrated)
        let refused = await migrate(file, client: client, settings: settings)
        guard case .partlyMigrated(_, _, let done, let total)? = refused.failure else { return XCTFail("\(String(describing: refused.failure))") }
        XCTAssertLessThan(done, total)
        XCTAssertTrue(refused.failure!.operatorMessage.contains("--resume"))

        var resume = settings; resume.resume = true
        let resumed = await migrate(file, client: client, settings: resume)
        XCTAssertNil(resumed.failure, resumed.failure?.operatorMessage ?? "")
        XCTAssertTrue(resumed.resumed)
        XCTAssertTrue(resumed.verification?.isPassing ?? false)
        try assertNothingLostOrDuplicated(file)
        if !(resumed.verification?.isPassing ?? false) {
            for m in resumed.verification?.mismatches ?? [] { print("DEBUG mismatch \(m)") }
            for (user, n) in try linkedPerUser(file) {
                let list = try await client.memories(userID: user)
                guard list.memories.count != n else { continue }
                var seen: [JSONValue: [String]] = [:]
                for m in list.memories { seen[m.metadata["legacy_id"] ?? .null, default: []].append(m.id) }
                for (lid, ids) in seen where ids.count > 1 {
                    print("DEBUG dup legacy \(lid) ids \(ids)")
                    let row = try readDB(file.path) { try Row.fetchOne($0, sql: "SELECT * FROM memconsole_migration_journal WHERE legacy_id = ?", arguments: [lid.int64Value]) }
                    print("DEBUG journal \(String(describing: row))")
                }
            }
            let logs = try FileManager.default.contentsOfDirectory(atPath: file.path + ".memconsole-logs")
            for l in logs where l.hasSuffix(".log") { print(try String(contentsOfFile: file.path + ".memconsole-logs/" + l, encoding: .utf8).split(separator: "\n").filter { $0.contains("=69 ") || $0.contains("kept") || $0.contains("finalized") || $0.contains("run ") }.joined(separator: "\n")) }
        }

        let again = await migrate(file, client: client, settings: settings)
        guard case .alreadyMigrated(let n, _, _)? = again.failure else { return XCTFail("\(String(describing: again.failure))") }
        XCTAssertEqual(n, try linkedPerUser(file).values.reduce(0, +))
        var noRun = settings; noRun.resume = true
        let nothing = await migrate(try makeLegacyDatabase(memories: 20, seed: 17), client: client, settings: noRun)
        XCTAssertEqual(nothing.failure.map { if case .nothingToResume = $0 { return true } else { return false } }, true)
    }

    func testPreflightFailuresChangeNothing() async throws {
        let file = try makeLegacyDatabase(memories: 50, seed: 18)
        let before = fingerprint(file)
        let server = try LocalMem0Server.shared()
        let cases: [(String, Mem0Client, (MigrationError) -> Bool)] = [
            ("Mem0 down", try makeClient(URL(string: "http://127.0.0.1:9")!, dialect: .auto),
             { if case .mem0(.unreachable, _) = $0 { return true }; return false }),
            ("wrong key", try makeClient(dialect: .oss, key: "wrong-key-123"),
             { if case .mem0(.unauthorized, _) = $0 { return true }; return false }),
            ("wrong dialect / not Mem0", try makeClient(server.url.appendingPathComponent("not-mem0"), dialect: .auto),
             { if case .mem0(.badResponse, _) = $0 { return true }; return false }),
        ]
        for (label, client, matches) in cases {
            let report = await migrate(file, client: client, settings: testSettings { $0.makeBackup = true })
            let failure = try XCTUnwrap(report.failure, label)
            XCTAssertTrue(matches(failure), "\(label): \(failure)")
            XCTAssertEqual(report.end, .refused(failure), label)
            XCTAssertFalse(failure.operatorMessage.contains(server.apiKey))
            XCTAssertEqual(fingerprint(file), before, "\(label) changed the file")
            let siblings = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
            XCTAssertEqual(siblings, ["chat.db"], "\(label) left files behind")
        }
    }

    func testReadOnlyFileUnwritableFolderAndWriteLockAreClearErrors() async throws {
        let client = try makeClient()
        let file = try makeLegacyDatabase(memories: 30, seed: 19)
        let before = fingerprint(file)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file.path)
        var report = await migrate(file, client: client, settings: testSettings())
        XCTAssertEqual(report.failure, .readOnlyFile(path: file.path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)

        let folder = file.deletingLastPathComponent()
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        report = await migrate(file, client: client, settings: testSettings { $0.makeBackup = true })
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        XCTAssertEqual(report.failure, .directoryNotWritable(path: folder.path))
        XCTAssertEqual(fingerprint(file), before)

        // The chat app holding the write lock (an open write transaction on another connection).
        let app = try WriteLockHolder(file)
        report = await migrate(file, client: client, settings: testSettings())
        app.release()
        XCTAssertEqual(report.failure, .locked(path: file.path))
        XCTAssertEqual(fingerprint(file), before)
        XCTAssertTrue(report.failure!.operatorMessage.contains("nothing was changed"))
    }

    func testVerificationOfAUserBeyondTheOSSListLimitFetchesEachLinkAndSaysSo() async throws {
        let file = try makeLegacyDatabase(memories: 1_030, users: 1, seed: 24)
        let client = try makeClient(dialect: .oss)
        let report = await migrate(file, client: client, settings: testSettings { $0.verifySample = nil })
        XCTAssertNil(report.failure, report.failure?.operatorMessage ?? "")
        let result = try await Verifier.verify(file: file, client: client, sample: 20)
        XCTAssertTrue(result.isPassing, "\(result.mismatches.prefix(3))")
        let big = try XCTUnwrap(result.users.first { $0.linked >= 1000 })
        XCTAssertNil(big.mem0Count, "the OSS server cannot count more than 1000")
        XCTAssertEqual(big.checked, big.linked, "every link fetched by id instead, even with --sample")
        XCTAssertTrue(result.notes.contains { $0.contains("at most 1000") }, "\(result.notes)")
        try assertNothingLostOrDuplicated(file)
    }
}
