import Foundation
import GRDB
import Storage
import TestSupport
import XCTest

/// `memconsole migrate | verify | rollback` as an operator runs them: the real binary, real files, the real local
/// Mem0 server. Exit codes are docs/exit-codes.md's.
final class MigrationCommandTests: XCTestCase {
    private func legacyFile(memories: Int = 150, seed: UInt64 = 31) throws -> URL {
        let url = try makeTemporaryDirectory("migrate-cli").appendingPathComponent("app.db")
        try DemoDatabaseGenerator.write(to: url.path, options: .init(users: 8, memories: memories, messages: 40, seed: seed))
        return url
    }

    private func prefix() -> String { "cli-\(UUID().uuidString.prefix(8).lowercased())-" }

    func testDryRunMigrateVerifyRollbackThroughTheBinary() throws {
        let server = try LocalMem0Server.shared()
        let file = try legacyFile()
        let before = try Data(contentsOf: file)
        let p = prefix()

        let dry = try runMemconsole(["migrate", file.path, "--dry-run", "--user-id-prefix", p], environment: server.environment)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("plan: 150 rows"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("rejected: row"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("dry run: nothing was changed"))
        XCTAssertEqual(try Data(contentsOf: file), before)

        let run = try runMemconsole(["migrate", file.path, "--backup", "--json", "--user-id-prefix", p], environment: server.environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        let events = run.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(events.count, run.stdout.split(separator: "\n").count, "every line is one JSON object")
        // The plan's progress comes first (phase_progress), then the plan itself.
        XCTAssertEqual(events.first { $0["event"] as? String != "phase_progress" }?["event"] as? String, "planned")
        let summary = try XCTUnwrap(events.last)
        XCTAssertEqual(summary["event"] as? String, "summary")
        XCTAssertEqual(summary["succeeded"] as? Bool, true)
        let linked = try XCTUnwrap(summary["linked"] as? Int)
        XCTAssertEqual(events.filter { $0["event"] as? String == "row_linked" }.count, linked)
        XCTAssertTrue(events.contains { $0["event"] as? String == "backup_written" })
        // The run's rate over the whole command, and each phase's time (issue 9's honest numbers).
        let wall = try XCTUnwrap(summary["wall_seconds"] as? Double)
        XCTAssertEqual(try XCTUnwrap(summary["rows_per_second"] as? Double), Double(linked) / wall, accuracy: 1e-9)
        let phases = try XCTUnwrap(summary["phases"] as? [String: Double])
        XCTAssertEqual(Set(phases.keys), ["plan", "backup", "send", "sweep", "finalize", "verify"])
        XCTAssertLessThanOrEqual(phases.values.reduce(0, +), wall, "the phases are parts of the command's time")
        let phaseEvents = events.filter { $0["event"] as? String == "phase" }.compactMap { $0["phase"] as? String }
        XCTAssertEqual(phaseEvents, ["plan", "backup", "send", "sweep", "finalize", "verify"], "in order, once each")
        let planned = try XCTUnwrap(events.first { $0["event"] as? String == "planned" })
        XCTAssertTrue((planned["rate_source"] as? String ?? "").contains("measured in preflight"), "\(planned)")

        let verify = try runMemconsole(["verify", file.path], environment: server.environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("verification passed"))

        let again = try runMemconsole(["migrate", file.path], environment: server.environment)
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("Nothing to migrate"), again.stdout)

        let rollback = try runMemconsole(["rollback", file.path], environment: server.environment)
        XCTAssertEqual(rollback.status, 0, rollback.stderr)
        XCTAssertTrue(rollback.stdout.contains("\(linked) Mem0 memories deleted"), rollback.stdout)
        XCTAssertEqual(try DatabaseInspector.inspect(path: file.path), .legacy)

        for output in [dry, run, verify, again, rollback] {
            XCTAssertFalse((output.stdout + output.stderr).contains(server.apiKey), "the key must never be printed")
        }
        let logs = try FileManager.default.contentsOfDirectory(atPath: file.path + ".memconsole-logs")
        for log in logs where log.hasSuffix(".log") {
            XCTAssertFalse(try String(contentsOfFile: file.path + ".memconsole-logs/" + log, encoding: .utf8).contains(server.apiKey))
        }
    }

    /// CI's smoke version of the migration benchmark (scripts/bench-migration.sh with SMOKE=1): migrate with its
    /// default verification, then `verify` and `rollback`, at 0 and 80 ms, beside the sequential script and the
    /// server's add ceiling, through this build's binary. Correctness only: the script stops with an error when any
    /// command fails; no time is asserted.
    func testBenchmarkSmokeRunsEveryPhaseAndEveryCommand() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["SMOKE"] = "1"
        environment["MEMCONSOLE_BIN"] = memconsoleBinary.path
        let result = try runProcess(URL(fileURLWithPath: "/bin/bash"),
                                    [repositoryRoot.appendingPathComponent("scripts/bench-migration.sh").path],
                                    environment: environment, currentDirectory: repositoryRoot)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Server add ceiling"), result.stdout)
        for latency in ["| 4 × 5 | 0 ms |", "| 4 × 5 | 80 ms |"] {
            XCTAssertEqual(result.stdout.components(separatedBy: latency).count - 1, 2,
                           "the migrate row and the verify/rollback row of \(latency): \(result.stdout)")
        }
        XCTAssertFalse(result.stdout.contains("not run"), "every full verify ran")
    }

    /// A disk that fills up while the backup is written: the process may not write a file past 64 KB
    /// (`ulimit -f`, with SIGXFSZ ignored so the write fails with EFBIG as it would with ENOSPC). The run must stop
    /// before anything changes: the backup-failed exit code, a message that says what happened, the file byte for
    /// byte as before, no partial copy left behind, no Mem0 memory created.
    func testBackupOnAFullDiskStopsBeforeAnythingChanges() throws {
        let server = try LocalMem0Server.shared()
        let file = try legacyFile(memories: 400, seed: 33)
        let before = try Data(contentsOf: file)
        XCTAssertGreaterThan(before.count, 128 * 1024, "the copy must need more than the 64 KB the test allows")
        let p = prefix()
        var environment = ProcessInfo.processInfo.environment
        environment.merge(server.environment) { _, new in new }
        let output = try runProcess(URL(fileURLWithPath: "/bin/bash"),
                                    ["-c", "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"", memconsoleBinary.path,
                                     "migrate", file.path, "--backup", "--user-id-prefix", p],
                                    environment: environment)
        XCTAssertEqual(output.status, 32, output.stdout + output.stderr)
        XCTAssertTrue(output.stderr.contains("disk full or I/O error"), output.stderr)
        XCTAssertTrue(output.stderr.contains("Nothing was changed"), output.stderr)
        XCTAssertEqual(try Data(contentsOf: file), before)
        let folder = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        XCTAssertEqual(folder.filter { $0.contains(".backup-") }, [], "a partial copy was left behind")
        for user in 1...8 { XCTAssertEqual(try server.storedCount(userID: "\(p)\(user)"), 0) }
    }

    func testExitCodesOfBadSituations() throws {
        let server = try LocalMem0Server.shared()
        let file = try legacyFile(memories: 30, seed: 32)
        var down = server.environment; down["MEM0_URL"] = "http://127.0.0.1:9"
        let unreachable = try runMemconsole(["migrate", file.path], environment: down)
        XCTAssertEqual(unreachable.status, 69, unreachable.stderr)
        XCTAssertTrue(unreachable.stderr.contains("Cannot reach Mem0"), unreachable.stderr)

        var wrongKey = server.environment; wrongKey["MEM0_API_KEY"] = "not-the-key"
        let refused = try runMemconsole(["migrate", file.path], environment: wrongKey)
        XCTAssertEqual(refused.status, 77, refused.stderr)
        XCTAssertFalse(refused.stderr.contains("not-the-key"))

        let noResume = try runMemconsole(["migrate", file.path, "--resume"], environment: server.environment)
        XCTAssertEqual(noResume.status, 30, noResume.stderr)
        let noRun = try runMemconsole(["verify", file.path], environment: server.environment)
        XCTAssertEqual(noRun.status, 31, noRun.stderr)
        let badFlag = try runMemconsole(["migrate", file.path, "--concurrency", "500"], environment: server.environment)
        XCTAssertEqual(badFlag.status, 64, badFlag.stderr)
        let missing = try runMemconsole(["migrate", file.path + ".nope"], environment: server.environment)
        XCTAssertEqual(missing.status, 10, missing.stderr)
        let noKey = try runMemconsole(["migrate", file.path], environment: [:], removing: ["MEM0_API_KEY"])
        XCTAssertEqual(noKey.status, 78, noKey.stderr)
    }

    /// kill -9 at random moments (CI keeps it to 3 trials; scripts/kill9-trials.sh runs 20+), each followed by
    /// `--resume`: nothing lost, nothing duplicated in Mem0 (the server's own count), verify passes.
    func testKillNineAtRandomMomentsThenResume() throws {
        let server = try LocalMem0Server.shared()
        var generator = SystemRandomNumberGenerator()
        for trial in 1...3 {
            let file = try legacyFile(memories: 400, seed: UInt64(40 + trial))
            let p = prefix()
            let process = Process()
            process.executableURL = memconsoleBinary
            process.arguments = ["migrate", file.path, "--user-id-prefix", p, "--verify-sample", "0"]
            process.environment = ProcessInfo.processInfo.environment.merging(server.environment) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.3...2.0, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            var resume = try runMemconsole(["migrate", file.path, "--resume", "--user-id-prefix", p, "--verify-sample", "0"],
                                           environment: server.environment)
            if resume.status == 30 {   // killed before the journal existed: start again
                resume = try runMemconsole(["migrate", file.path, "--user-id-prefix", p], environment: server.environment)
            }
            XCTAssertEqual(resume.status, 0, "trial \(trial): \(resume.stderr)")
            let verify = try runMemconsole(["verify", file.path], environment: server.environment)
            XCTAssertEqual(verify.status, 0, "trial \(trial): \(verify.stdout)")
            let perUser = try DatabaseQueue(path: file.path).read { db in
                try Row.fetchAll(db, sql: "SELECT mem0_user_id, COUNT(*) AS n FROM memconsole_migration_journal WHERE state = 'linked' GROUP BY mem0_user_id")
                    .map { ($0["mem0_user_id"] as String, $0["n"] as Int) }
            }
            XCTAssertFalse(perUser.isEmpty)
            for (user, linked) in perUser {
                XCTAssertEqual(try server.storedCount(userID: user), linked, "trial \(trial), user \(user)")
            }
        }
    }
}
