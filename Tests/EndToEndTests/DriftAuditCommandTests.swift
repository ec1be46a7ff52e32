import Foundation
import GRDB
import Mem0Client
import Storage
import TestSupport
import XCTest

/// `memconsole audit | repair | report` on a migrated file that "the app" keeps writing: the real binary, real files,
/// the real local Mem0 server, in both dialects.
///
/// The test plays the app: after the migration it writes 200 memory + metadata pairs the way the app does (a Mem0 add
/// with the `legacy_*` keys, then `DatabaseService.linkMem0Memory`), then makes exactly 7 dangling rows (memories
/// deleted in Mem0), 5 unlinked memories (added with no row) and 3 disagreeing rows (edited in SQLite). The audit's
/// numbers must be exactly those, repair must make the next audit clean, and undo must give back the metadata table
/// byte for byte (`sqlite3 .dump`).
final class DriftAuditCommandTests: XCTestCase {
    private struct Scenario {
        var file: URL
        var prefix: String
        var dialect: String
        var environment: [String: String]
        var deleted: Set<String> = []
        var unlinked: Set<String> = []
        var edited: Set<Int64> = []
        /// Metadata rows right after the migration (its links).
        var migratedLinks: Int
    }

    func testAuditRepairUndoPlatform() async throws { try await auditScenario(dialect: "platform") }

    func testAuditRepairUndoOSS() async throws { try await auditScenario(dialect: "oss") }

    private func auditScenario(dialect: String) async throws {
        let server = try LocalMem0Server.shared()
        var scenario = try migratedFile(dialect: dialect, server: server)
        let client = Mem0Client(configuration: Mem0Configuration(
            baseURL: server.url, dialect: dialect == "oss" ? .oss : .platform, apiKey: APIKey(server.apiKey)!))
        try await playTheApp(&scenario, client: client)

        // The audit's numbers, exactly.
        let audit = try runMemconsole(["audit", scenario.file.path, "--json", "--dialect", dialect], environment: scenario.environment)
        XCTAssertEqual(audit.status, 1, "drift exits 1: " + audit.stderr)
        let result = try json(audit.stdout)
        let migratedLinks = scenario.migratedLinks
        XCTAssertGreaterThan(migratedLinks, 150)
        XCTAssertEqual(result["metadata_rows"] as? Int, migratedLinks + 200)
        XCTAssertEqual(result["dangling"] as? Int, 7)
        XCTAssertEqual(result["disagreeing"] as? Int, 3)
        XCTAssertEqual(result["linked_ok"] as? Int, migratedLinks + 200 - 7 - 3)
        XCTAssertEqual(result["unlinked"] as? Int, 5)
        XCTAssertEqual(result["mem0_memories"] as? Int, migratedLinks + 200 - 7 + 5)
        XCTAssertEqual(result["linked"] as? Int, migratedLinks + 200 - 7)
        let findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
        XCTAssertEqual(Set(findings.filter { $0["kind"] as? String == "dangling" }.compactMap { $0["mem0_memory_id"] as? String }),
                       scenario.deleted)
        XCTAssertEqual(Set(findings.filter { $0["kind"] as? String == "unlinked" }.compactMap { $0["mem0_memory_id"] as? String }),
                       scenario.unlinked)
        XCTAssertEqual(Set(findings.filter { $0["kind"] as? String == "disagreeing" }.compactMap { ($0["metadata_id"] as? NSNumber)?.int64Value }),
                       scenario.edited)
        for finding in findings {
            XCTAssertNotNil(finding["user_id"] as? Int, "every finding names its user: \(finding)")
        }

        // An independent count: the server's own scan of every stored point, per user of the file.
        var stored = 0
        for user in 1...20 { stored += try server.storedCount(userID: "\(scenario.prefix)\(user)") }
        XCTAssertEqual(result["mem0_memories"] as? Int, stored)

        // Dry run: the list, nothing changed.
        let before = try dump(scenario.file)
        let dry = try runMemconsole(["repair", scenario.file.path, "--dry-run", "--direction", "to-metadata",
                                     "--dialect", dialect], environment: scenario.environment)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertEqual(dry.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  delete_metadata_row:") }.count, 7)
        XCTAssertEqual(dry.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  adopt_memory:") }.count, 5)
        XCTAssertEqual(dry.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  sync_to_metadata:") }.count, 3)
        XCTAssertEqual(try dump(scenario.file), before)

        // Without a direction the disagreements cannot be repaired.
        let undirected = try runMemconsole(["repair", scenario.file.path, "--apply", "--dialect", dialect],
                                           environment: scenario.environment)
        XCTAssertEqual(undirected.status, 45, undirected.stderr)
        XCTAssertEqual(try dump(scenario.file), before)

        // Apply, then the audit is clean, and nothing in Mem0 was deleted.
        let apply = try runMemconsole(["repair", scenario.file.path, "--apply", "--direction", "to-metadata",
                                       "--dialect", dialect], environment: scenario.environment)
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        let runID = try XCTUnwrap(apply.stdout.components(separatedBy: "\n").first { $0.hasPrefix("repair run ") }?
            .dropFirst("repair run ".count).split(separator: ":").first.map(String.init), apply.stdout)
        XCTAssertTrue(apply.stdout.contains("15 applied, 0 left alone"), apply.stdout)
        let clean = try runMemconsole(["audit", scenario.file.path, "--json", "--dialect", dialect], environment: scenario.environment)
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
        let cleanResult = try json(clean.stdout)
        XCTAssertEqual(cleanResult["metadata_rows"] as? Int, migratedLinks + 200 - 7 + 5)
        XCTAssertEqual(cleanResult["linked_ok"] as? Int, migratedLinks + 200 - 7 + 5)
        XCTAssertEqual(cleanResult["mem0_memories"] as? Int, stored)
        var storedAfter = 0
        for user in 1...20 { storedAfter += try server.storedCount(userID: "\(scenario.prefix)\(user)") }
        XCTAssertEqual(storedAfter, stored, "repair deletes no Mem0 memory without --delete-unlinked-memories")

        // The journal tables do not change what the file is.
        XCTAssertEqual(try DatabaseInspector.inspect(path: scenario.file.path), .migrated)

        // Undo: the metadata table byte for byte as before the repair.
        let undo = try runMemconsole(["repair", scenario.file.path, "--undo", runID, "--dialect", dialect],
                                     environment: scenario.environment)
        XCTAssertEqual(undo.status, 0, undo.stdout + undo.stderr)
        XCTAssertTrue(undo.stdout.contains("15 change(s) restored"), undo.stdout)
        XCTAssertEqual(try dump(scenario.file), before)
        let again = try runMemconsole(["audit", scenario.file.path, "--json", "--dialect", dialect], environment: scenario.environment)
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(try json(again.stdout)["dangling"] as? Int, 7)

        let unknown = try runMemconsole(["repair", scenario.file.path, "--undo", "no-such-run", "--dialect", dialect],
                                        environment: scenario.environment)
        XCTAssertEqual(unknown.status, 46, unknown.stderr)

        for output in [audit, dry, undirected, apply, clean, undo, again, unknown] {
            XCTAssertFalse((output.stdout + output.stderr).contains(server.apiKey), "the key must never be printed")
        }
    }

    /// The ledger: one line per legacy row plus the totals line, and statuses that add up to verification's equation.
    func testRowLedgerAddsUpToTheVerificationEquation() throws {
        let server = try LocalMem0Server.shared()
        let scenario = try migratedFile(dialect: "platform", server: server)
        let verify = try runMemconsole(["verify", scenario.file.path, "--json"], environment: scenario.environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let verification = try json(verify.stdout)

        let output = scenario.file.deletingLastPathComponent().appendingPathComponent("ledger.jsonl")
        let report = try runMemconsole(["report", scenario.file.path, "--format", "jsonl", "--output", output.path])
        XCTAssertEqual(report.status, 0, report.stderr)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map { try json(String($0)) }
        let legacyRows = try XCTUnwrap(verification["legacy_rows"] as? Int)
        XCTAssertEqual(legacyRows, 200)
        XCTAssertEqual(lines.count, legacyRows + 1, "one line per legacy row, then the totals")
        let rows = lines.dropLast()
        let count = { (status: String) in rows.filter { $0["status"] as? String == status }.count }
        XCTAssertEqual(count("linked"), verification["linked"] as? Int)
        XCTAssertEqual(count("duplicate"), verification["duplicates"] as? Int)
        XCTAssertEqual(count("rejected") + count("failed"), verification["rejected"] as? Int)
        XCTAssertEqual(count("pending"), 0)
        XCTAssertEqual(Set(rows.compactMap { ($0["legacy_id"] as? NSNumber)?.int64Value }).count, legacyRows)
        for row in rows where row["status"] as? String == "linked" {
            XCTAssertNotNil(row["mem0_memory_id"] as? String)
            XCTAssertEqual((row["mem0_user_id"] as? String)?.hasPrefix(scenario.prefix), true)
        }
        for row in rows where row["status"] as? String == "rejected" { XCTAssertNotNil(row["code"] as? String, "\(row)") }
        for row in rows where row["status"] as? String == "duplicate" { XCTAssertNotNil(row["duplicate_of"] as? Int) }
        let totals = try XCTUnwrap(lines.last)
        XCTAssertEqual(totals["record"] as? String, "totals")
        XCTAssertEqual(totals["legacy_rows"] as? Int, legacyRows)
        XCTAssertEqual(totals["balanced"] as? Bool, true)

        let csv = try runMemconsole(["report", scenario.file.path, "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let csvLines = csv.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(csvLines.count, 1 + legacyRows + 1, "header, one line per row, totals")
        XCTAssertTrue(csvLines.first?.hasPrefix("record,legacy_id,status,") == true)
        XCTAssertTrue(csvLines.last?.hasPrefix("totals,") == true)

        // With the legacy table dropped, profile and times come from the backup file.
        let dropped = try makeTemporaryDirectory("ledger-dropped").appendingPathComponent("app.db")
        try DemoDatabaseGenerator.write(to: dropped.path, options: .init(users: 4, memories: 30, messages: 4, seed: 9))
        let migrate = try runMemconsole(["migrate", dropped.path, "--backup", "--skip-backup-table", "--user-id-prefix",
                                         "ledger-\(UUID().uuidString.prefix(8).lowercased())-"], environment: server.environment)
        XCTAssertEqual(migrate.status, 0, migrate.stdout + migrate.stderr)
        let fromBackup = try runMemconsole(["report", dropped.path])
        XCTAssertEqual(fromBackup.status, 0, fromBackup.stderr)
        let backupRows = try fromBackup.stdout.split(separator: "\n").map { try json(String($0)) }.dropLast()
        XCTAssertEqual(backupRows.count, 30)
        XCTAssertTrue(backupRows.allSatisfy { $0["created_at"] is String }, "times read from the backup file")

        let legacy = try makeTemporaryDirectory("ledger-legacy").appendingPathComponent("legacy.db")
        try DemoDatabaseGenerator.write(to: legacy.path, options: .init(users: 2, memories: 5, messages: 2, seed: 3))
        let none = try runMemconsole(["report", legacy.path])
        XCTAssertEqual(none.status, 31, "a file with no migration run has no ledger: " + none.stderr)
    }

    /// A Mem0 that is down, or a server that is not Mem0, ends the audit and the repair at once with Mem0's exit code
    /// (69, 76), and nothing changes. Run under `timeout`: a batch that waited for idle workers once hung here.
    func testABrokenMem0StopsTheAuditAtOnce() throws {
        let server = try LocalMem0Server.shared()
        let scenario = try migratedFile(dialect: "oss", server: server)
        let before = try dump(scenario.file)
        let cases: [(String, Int32)] = [("http://127.0.0.1:9", 69), (server.url.appendingPathComponent("not-mem0").absoluteString, 76)]
        for (url, status) in cases {
            for command in [["audit", scenario.file.path], ["repair", scenario.file.path, "--apply", "--direction", "to-metadata"]] {
                var environment = ProcessInfo.processInfo.environment
                environment.merge(server.environment) { _, new in new }
                let output = try runProcess(URL(fileURLWithPath: "/usr/bin/timeout"),
                                            ["60", memconsoleBinary.path] + command + ["--mem0-url", url], environment: environment)
                XCTAssertEqual(output.status, status, "\(command) against \(url): \(output.stderr)")
                XCTAssertEqual(output.stderr.split(separator: "\n").filter { $0.contains("error:") }.count, 1, output.stderr)
            }
        }
        XCTAssertEqual(try dump(scenario.file), before)
    }

    // MARK: - The app, played by the test

    private func migratedFile(dialect: String, server: LocalMem0Server) throws -> Scenario {
        let file = try makeTemporaryDirectory("drift").appendingPathComponent("app.db")
        try DemoDatabaseGenerator.write(to: file.path, options: .init(users: 20, memories: 200, messages: 40, seed: 7))
        let prefix = "drift-\(UUID().uuidString.prefix(8).lowercased())-"
        let environment = server.environment
        let migrate = try runMemconsole(["migrate", file.path, "--user-id-prefix", prefix, "--dialect", dialect],
                                        environment: environment)
        XCTAssertEqual(migrate.status, 0, migrate.stdout + migrate.stderr)
        let links = try AppDatabase.open(at: file.path, mode: .readOnly).read { db in
            try MemoryMetadata.fetchCount(db)
        }
        return Scenario(file: file, prefix: prefix, dialect: dialect, environment: environment, migratedLinks: links)
    }

    /// 200 new pairs, then 7 deletions in Mem0, 5 memories with no row, 3 edited rows.
    private func playTheApp(_ scenario: inout Scenario, client: Mem0Client) async throws {
        let service = DatabaseService(database: try AppDatabase.open(at: scenario.file.path, mode: .readWrite))
        let users = (1...20).map(Int64.init)
        var profiles: [Int64: [Int64]] = [:]
        for user in users { profiles[user] = try service.profiles(ofUser: user).compactMap(\.id) }
        var newRows: [(row: Int64, memory: String)] = []
        for i in 0..<200 {
            let user = users[i % users.count]
            let profile = profiles[user]?.first
            let tags = ["app", "batch-\(i % 4)"]
            let added = try await client.add(Mem0AddRequest(
                text: "app memory \(i) for user \(user): 今日は \(i)", userID: "\(scenario.prefix)\(user)",
                metadata: ["legacy_memory_type": "preference", "legacy_tags": .array(tags.map(JSONValue.string)),
                           "legacy_profile_id": profile.map(JSONValue.int) ?? .null]))
            guard case .created(let ids) = added, let id = ids.first else { return XCTFail("add \(i): \(added)") }
            let row = try service.linkMem0Memory(userID: user, profileID: profile, mem0MemoryID: id,
                                                 memoryType: "preference", tags: tags)
            newRows.append((try XCTUnwrap(row.id), id))
        }
        // 7 memories deleted in Mem0 (as in its dashboard): 4 migrated, 3 written by the app.
        let migrated = try service.database.read { db in
            try MemoryMetadata.filter(Column("id") <= 200).order(Column("id")).fetchAll(db)
        }
        let victims = Array(migrated.prefix(4).map(\.mem0MemoryID)) + newRows.suffix(3).map(\.memory)
        for id in victims {
            let deleted = try await client.delete(id: id)
            XCTAssertEqual(deleted, .deleted)
            scenario.deleted.insert(id)
        }
        // 5 memories with no metadata row (a crash between the two writes).
        for i in 0..<5 {
            let added = try await client.add(Mem0AddRequest(
                text: "orphaned by a crash \(i)", userID: "\(scenario.prefix)\(users[i])",
                metadata: ["legacy_memory_type": "event", "legacy_tags": ["crash"], "legacy_profile_id": .null]))
            guard case .created(let ids) = added, let id = ids.first else { return XCTFail("add: \(added)") }
            scenario.unlinked.insert(id)
        }
        // 3 metadata rows edited in SQLite only: type, tags, profile.
        let editable = newRows.prefix(3).map(\.row)
        try service.updateMemoryMetadata(id: editable[0], changes: .init(memoryType: .some("fact")))
        try service.updateMemoryMetadata(id: editable[1], changes: .init(tags: ["edited"]))
        let current = try XCTUnwrap(try service.memoryMetadata(id: editable[2])).profileID
        let allProfiles = profiles.values.flatMap { $0 }.sorted()
        try service.updateMemoryMetadata(id: editable[2], changes: .init(profileID: .some(allProfiles.first { $0 != current })))
        scenario.edited = Set(editable)
        try service.database.close()
    }

    // MARK: - Helpers

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    /// `sqlite3 FILE ".dump memories_metadata"` plus the table's AUTOINCREMENT counter.
    private func dump(_ file: URL) throws -> String {
        let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")
        let table = try runProcess(sqlite3, [file.path, ".dump memories_metadata"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let sequence = try runProcess(sqlite3, [file.path, "SELECT seq FROM sqlite_sequence WHERE name = 'memories_metadata'"])
        XCTAssertEqual(sequence.status, 0, sequence.stderr)
        return table.stdout + "-- sqlite_sequence: " + sequence.stdout
    }
}
