import Foundation
import GRDB
import Storage
import TestSupport
import XCTest

/// Every way a migration can end, through the real binary against the real local Mem0, with faults from the fault
/// proxy in front of it: the exit code, the `--json` end state and the file must all say the same thing
/// (docs/migration.md, "How a run ends").
final class EndStateTests: XCTestCase {
    private func legacyFile(users: Int = 6, memories: Int = 120, seed: UInt64 = 41) throws -> URL {
        let url = try makeTemporaryDirectory("end-state").appendingPathComponent("app.db")
        try DemoDatabaseGenerator.write(to: url.path, options: .init(users: users, memories: memories, messages: 40, seed: seed))
        return url
    }

    private func prefix() -> String { "end-\(UUID().uuidString.prefix(8).lowercased())-" }

    private func summary(_ output: ProcessOutput) throws -> [String: Any] {
        let last = try XCTUnwrap(output.stdout.split(separator: "\n").last, output.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    private func journalCounts(_ file: URL) throws -> [String: Int] { try JournalReading.counts(file.path) }

    private func assertServerHoldsExactlyTheLinks(_ file: URL, _ server: LocalMem0Server, line: UInt = #line) throws {
        let links = try JournalReading.linksPerUser(file.path)
        XCTAssertFalse(links.isEmpty, line: line)
        for (user, n) in links {
            XCTAssertEqual(try server.storedCount(userID: user), n, "user \(user): one memory per linked row", line: line)
        }
    }

    private func tableExists(_ file: URL, _ name: String) throws -> Bool {
        let queue = try DatabaseQueue(path: file.path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        defer { try? queue.close() }
        return try queue.read { try $0.tableExists(name) }
    }

    /// The first `--json` event after the plan's progress (`phase_progress`): the `planned` event.
    private func firstEventAfterPlanning(_ output: ProcessOutput) -> [String: Any]? {
        output.stdout.split(separator: "\n").lazy
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .first { $0["event"] as? String != "phase_progress" }
    }

    func testEveryAddRefused403StopsResumableAndNeverFinalizes() throws {
        let server = try LocalMem0Server.shared()
        let proxy = try server.startProxy(["--refuse-status", "403"])
        defer { proxy.stop() }
        let file = try legacyFile()
        let p = prefix()
        var env = server.environment
        env["MEM0_URL"] = proxy.url.absoluteString
        let run = try runMemconsole(["migrate", file.path, "--dialect", "platform", "--json", "--user-id-prefix", p], environment: env)
        XCTAssertEqual(run.status, 77, run.stderr)
        let end = try summary(run)
        XCTAssertEqual(end["end_state"] as? String, "stopped_resumable")
        XCTAssertEqual(end["succeeded"] as? Bool, false)
        XCTAssertEqual(end["exit_code"] as? Int, 77)
        XCTAssertTrue((end["reason"] as? String ?? "").contains("HTTP 403"), "\(end)")
        XCTAssertEqual(try DatabaseInspector.inspect(path: file.path), .partlyMigrated)
        XCTAssertTrue(try tableExists(file, "memories"), "the legacy table is still there")
        let counts = try journalCounts(file)
        XCTAssertNil(counts["linked"])
        XCTAssertEqual(counts["rejected"] ?? 0, try XCTUnwrap(end["journal"] as? [String: Int])["rejected"], "only the plan's rejections")
        XCTAssertEqual(counts["in_flight"] ?? 0, 0, "refused adds go back to pending")
        XCTAssertFalse((run.stdout + run.stderr).contains(server.apiKey))

        // The text form says the same, once.
        let text = try runMemconsole(["migrate", file.path, "--dialect", "platform", "--resume", "--user-id-prefix", p], environment: env)
        XCTAssertEqual(text.status, 77)
        XCTAssertTrue(text.stdout.contains("end: stopped — resumable"), text.stdout)
        XCTAssertTrue(text.stderr.contains("HTTP 403"), text.stderr)
    }

    func testQuotaAfterFiftyAddsStopsThereAndAResumeFinishesAndVerifies() throws {
        let server = try LocalMem0Server.shared()
        let proxy = try server.startProxy(["--refuse-status", "413", "--refuse-after-adds", "50"])
        defer { proxy.stop() }
        let file = try legacyFile(memories: 150, seed: 42)
        let p = prefix()
        var env = server.environment
        env["MEM0_URL"] = proxy.url.absoluteString
        let first = try runMemconsole(["migrate", file.path, "--json", "--user-id-prefix", p], environment: env)
        XCTAssertEqual(first.status, 65, first.stderr)
        XCTAssertEqual(try summary(first)["end_state"] as? String, "stopped_resumable")
        let linked = try journalCounts(file)["linked"] ?? 0
        XCTAssertEqual(linked, 50, "the 50 adds that passed are linked; nothing after the first 413 is sent")
        XCTAssertEqual(try DatabaseInspector.inspect(path: file.path), .partlyMigrated)

        try proxy.configure(["refuse_status": 0])
        let resumed = try runMemconsole(["migrate", file.path, "--resume", "--json", "--user-id-prefix", p], environment: env)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try summary(resumed)["end_state"] as? String, "finalized")
        let verify = try runMemconsole(["verify", file.path], environment: server.environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        try assertServerHoldsExactlyTheLinks(file, server)
    }

    func testAKeyRevokedMidRunStopsResumable() throws {
        let server = try LocalMem0Server.shared()
        let proxy = try server.startProxy(["--refuse-status", "401", "--refuse-after-adds", "30"])
        defer { proxy.stop() }
        let file = try legacyFile(memories: 100, seed: 43)
        let p = prefix()
        var env = server.environment
        env["MEM0_URL"] = proxy.url.absoluteString
        let run = try runMemconsole(["migrate", file.path, "--dialect", "oss", "--user-id-prefix", p], environment: env)
        XCTAssertEqual(run.status, 77, run.stderr)
        XCTAssertTrue(run.stdout.contains("end: stopped — resumable"), run.stdout)
        XCTAssertTrue(run.stderr.contains("rejected the API key"), run.stderr)
        XCTAssertEqual(try DatabaseInspector.inspect(path: file.path), .partlyMigrated)
        XCTAssertEqual(try journalCounts(file)["linked"], 30)

        try proxy.configure(["refuse_status": 0])
        let resumed = try runMemconsole(["migrate", file.path, "--dialect", "oss", "--resume", "--user-id-prefix", p], environment: env)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try runMemconsole(["verify", file.path], environment: server.environment).status, 0)
        try assertServerHoldsExactlyTheLinks(file, server)
    }

    func testQueuedPlatformAddsArePolledAndEachRowIsOneMemory() throws {
        let server = try LocalMem0Server.shared()
        let proxy = try server.startProxy(["--pending-rate", "0.3", "--pending-polls", "2", "--seed", "8"])
        defer { proxy.stop() }
        let file = try legacyFile(memories: 120, seed: 44)
        let p = prefix()
        var env = server.environment
        env["MEM0_URL"] = proxy.url.absoluteString
        let run = try runMemconsole(["migrate", file.path, "--dialect", "platform", "--json", "--user-id-prefix", p], environment: env)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try summary(run)["end_state"] as? String, "finalized")
        let stats = try proxy.stats()
        XCTAssertGreaterThan(stats["pending_answers"] ?? 0, 10, "about 30 % of the adds were queued")
        XCTAssertGreaterThanOrEqual(stats["event_polls"] ?? 0, 3 * (stats["pending_answers"] ?? 0), "each queued add was polled to SUCCEEDED")
        XCTAssertEqual(try runMemconsole(["verify", file.path, "--dialect", "platform"], environment: server.environment).status, 0)
        try assertServerHoldsExactlyTheLinks(file, server)
    }

    func testADryRunNeedsNeitherAKeyNorAMem0AndSaysWhatItCouldNotCheck() throws {
        let file = try legacyFile()
        let before = try Data(contentsOf: file)
        let offline = try runMemconsole(["migrate", file.path, "--dry-run", "--json"], environment: [:],
                                        removing: ["MEM0_API_KEY", "MEM0_URL"])
        XCTAssertEqual(offline.status, 0, offline.stderr)
        let end = try summary(offline)
        XCTAssertEqual(end["dry_run"] as? Bool, true)
        XCTAssertEqual(end["succeeded"] as? Bool, true)
        XCTAssertEqual(end["end_state"] as? String, "planned")
        let planned = try XCTUnwrap(firstEventAfterPlanning(offline))
        XCTAssertTrue((planned["not_checked"] as? [String] ?? []).contains { $0.contains("no API key") }, "\(planned)")
        let platform = try runMemconsole(["migrate", file.path, "--dry-run", "--dialect", "platform"], environment: [:],
                                         removing: ["MEM0_API_KEY", "MEM0_URL"])
        XCTAssertTrue(platform.stdout.contains("same Mem0 user and text"), "the named dialect's de-duplication: \(platform.stdout)")

        let unreachable = try runMemconsole(["migrate", file.path, "--dry-run", "--mem0-url", "http://127.0.0.1:9"],
                                            environment: ["MEM0_API_KEY": "some-key-1234567890"])
        XCTAssertEqual(unreachable.status, 0, unreachable.stderr)
        XCTAssertTrue(unreachable.stdout.contains("not checked: Mem0 did not answer"), unreachable.stdout)
        XCTAssertFalse(unreachable.stdout.contains("estimate 0:00"), "no made-up estimate")
        XCTAssertEqual(try Data(contentsOf: file), before)
    }

    func testTheDryRunCountsAreTheRunsCountsInBothDialects() throws {
        let server = try LocalMem0Server.shared()
        for dialect in ["oss", "platform"] {
            let file = try legacyFile(users: 5, memories: 200, seed: 45)
            // Rows with the same user and text under another profile: the Platform stores them once.
            let queue = try DatabaseQueue(path: file.path)
            try queue.write { db in
                let source = try Row.fetchOne(db, sql: """
                    SELECT user_id, content FROM memories WHERE length(trim(content)) > 0 AND user_id IN (SELECT id FROM users) LIMIT 1
                    """)!
                let profiles = try Int64.fetchAll(db, sql: "SELECT id FROM memory_profiles WHERE user_id = ? LIMIT 2", arguments: [source["user_id"]])
                for profile in profiles {
                    try db.execute(sql: """
                        INSERT INTO memories (user_id, memory_profile_id, content, memory_type, tags, created_at, updated_at)
                        VALUES (?, ?, ?, 'fact', '[]', '2024-01-01 10:00:00', '2024-01-01 10:00:00')
                        """, arguments: [source["user_id"], profile, source["content"]])
                }
            }
            try queue.close()
            let p = prefix()
            let dry = try runMemconsole(["migrate", file.path, "--dry-run", "--json", "--dialect", dialect, "--user-id-prefix", p],
                                        environment: server.environment)
            XCTAssertEqual(dry.status, 0, dry.stderr)
            let plan = try XCTUnwrap(firstEventAfterPlanning(dry))
            let run = try runMemconsole(["migrate", file.path, "--json", "--dialect", dialect, "--user-id-prefix", p],
                                        environment: server.environment)
            XCTAssertEqual(run.status, 0, run.stderr)
            let counts = try journalCounts(file)
            XCTAssertEqual(plan["migratable"] as? Int, counts["linked"], dialect)
            XCTAssertEqual(plan["duplicates"] as? Int, counts["duplicate"], dialect)
            XCTAssertEqual(plan["rejected"] as? Int, counts["rejected"], dialect)
            let events = run.stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            XCTAssertFalse(events.contains { ($0["code"] as? String) == "refused_by_mem0" },
                           "\(dialect): the Platform refused nothing the plan did not foresee")
        }
    }

    func testAResumeWhileAnotherProgramHasTheFileOpenSucceedsAndKeepsTheJournalMode() throws {
        let server = try LocalMem0Server.shared()
        let proxy = try server.startProxy(["--refuse-status", "403", "--refuse-after-adds", "40"])
        defer { proxy.stop() }
        let file = try legacyFile(memories: 120, seed: 46)
        let p = prefix()
        var env = server.environment
        env["MEM0_URL"] = proxy.url.absoluteString
        let modeBefore = try String(decoding: runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [file.path, "PRAGMA journal_mode"]).stdout.utf8, as: UTF8.self)
        XCTAssertEqual(try runMemconsole(["migrate", file.path, "--user-id-prefix", p], environment: env).status, 77)
        try proxy.configure(["refuse_status": 0])

        // A reader holds the file open the whole time, as an open console does.
        let reader = try DatabaseQueue(path: file.path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        XCTAssertEqual(try reader.read { try DatabaseInspector.state(of: $0) }, .partlyMigrated)
        let resumed = try runMemconsole(["migrate", file.path, "--resume", "--user-id-prefix", p], environment: env)
        XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
        XCTAssertFalse(resumed.stderr.contains("nothing was changed"), resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("end: finalized"), resumed.stdout)
        XCTAssertEqual(try reader.read { try DatabaseInspector.state(of: $0) }, .migrated, "the open reader sees the new state at its next read")
        try reader.close()
        let modeAfter = try String(decoding: runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [file.path, "PRAGMA journal_mode"]).stdout.utf8, as: UTF8.self)
        XCTAssertEqual(modeAfter, modeBefore, "the journal mode the run found")
    }

    func testAnOSSServerWithoutAuthRunsWithNoKeyAndRefusesAPresentedOne() throws {
        let data = try makeTemporaryDirectory("mem0-noauth")
        let script = repositoryRoot.appendingPathComponent("scripts/mem0-local")
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "MEM0_API_KEY")
        let started = try runScript(script, ["start", "--data", data.path, "--auth-disabled"], environment: environment)
        XCTAssertEqual(started.status, 0, started.stderr)
        defer { _ = try? runScript(script, ["stop", "--data", data.path]) }
        let url = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let file = try legacyFile(users: 3, memories: 40, seed: 47)

        let presented = try runMemconsole(["migrate", file.path, "--dialect", "oss", "--mem0-url", url],
                                          environment: ["MEM0_API_KEY": "a-key-the-server-never-set"])
        XCTAssertEqual(presented.status, 77, "upstream refuses any presented key when auth is disabled: \(presented.stderr)")
        XCTAssertEqual(try DatabaseInspector.inspect(path: file.path), .legacy)

        let noKey = try runMemconsole(["migrate", file.path, "--dialect", "oss", "--no-api-key", "--mem0-url", url],
                                      removing: ["MEM0_API_KEY"])
        XCTAssertEqual(noKey.status, 0, noKey.stderr)
        let verify = try runMemconsole(["verify", file.path, "--dialect", "oss", "--no-api-key", "--mem0-url", url],
                                       removing: ["MEM0_API_KEY"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let platform = try runMemconsole(["migrate", file.path, "--no-api-key", "--mem0-url", url], removing: ["MEM0_API_KEY"])
        XCTAssertEqual(platform.status, 78, "--no-api-key needs --dialect oss")
    }

    func testCtrlCStopsTheCLIRunCleanlyAndItResumes() throws {
        let server = try LocalMem0Server.shared()
        let file = try legacyFile(memories: 300, seed: 48)
        let p = prefix()
        let process = Process()
        process.executableURL = memconsoleBinary
        process.arguments = ["migrate", file.path, "--rate", "20", "--json", "--user-id-prefix", p]
        process.environment = ProcessInfo.processInfo.environment.merging(server.environment) { _, new in new }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, (try? JournalReading.counts(file.path)["linked"] ?? 0) ?? 0 < 10 {
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.interrupt()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 36, output.suffix(400).description)
        let end = try XCTUnwrap(output.split(separator: "\n").last.flatMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        XCTAssertEqual(end["end_state"] as? String, "stopped_resumable")
        let counts = try JournalReading.counts(file.path)
        XCTAssertEqual(counts["in_flight"] ?? 0, 0, "every add in flight finished and was linked")
        XCTAssertGreaterThan(counts["pending"] ?? 0, 0)
        let resumed = try runMemconsole(["migrate", file.path, "--resume", "--user-id-prefix", p], environment: server.environment)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        try assertServerHoldsExactlyTheLinks(file, server)
    }

    func testEveryBadInputGetsTheSameExitCodeFromEveryCommandThatTakesAFile() throws {
        let server = try LocalMem0Server.shared()
        let folder = try makeTemporaryDirectory("bad-inputs")
        let missing = folder.appendingPathComponent("missing.db").path
        let directory = folder.appendingPathComponent("a-folder.db").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = folder.appendingPathComponent("notes.db").path
        try Data("hello, not a database\n".utf8).write(to: URL(fileURLWithPath: text))
        let truncated = folder.appendingPathComponent("truncated.db").path
        let good = try legacyFile()
        let bytes = try Data(contentsOf: good)
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: truncated))
        let foreign = folder.appendingPathComponent("foreign.db").path
        let queue = try DatabaseQueue(path: foreign)
        try queue.write { try $0.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY)") }
        try queue.close()

        let inputs: [(String, String, Int32)] = [("missing", missing, 10), ("directory", directory, 11),
                                                 ("not SQLite", text, 12), ("truncated", truncated, 13),
                                                 ("foreign schema", foreign, 16)]
        let commands: [[String]] = [["info"], ["migrate"], ["migrate", "--dry-run"], ["verify"], ["rollback"],
                                    ["audit"], ["repair", "--dry-run"], ["repair", "--undo", "some-run"], ["report"]]
        for (label, path, status) in inputs {
            let before = fileFingerprint(URL(fileURLWithPath: path))
            for command in commands {
                let output = try runMemconsole([command[0], path] + command.dropFirst(), environment: server.environment)
                XCTAssertEqual(output.status, status, "\(command) on \(label): \(output.stderr)")
                XCTAssertEqual(output.stderr.split(separator: "\n").filter { $0.contains("error:") }.count, 1,
                               "\(command) on \(label): one error line: \(output.stderr)")
                XCTAssertEqual(fileFingerprint(URL(fileURLWithPath: path)), before, "\(command) changed \(label)")
            }
        }
        // An HTTP server that is not Mem0 is a bad response (76) for every command that talks to Mem0.
        let notMem0 = server.url.appendingPathComponent("not-mem0").absoluteString
        for command in [["migrate", good.path], ["mem0", "ping"]] {
            let output = try runMemconsole(command + ["--mem0-url", notMem0], environment: server.environment)
            XCTAssertEqual(output.status, 76, "\(command): \(output.stderr)")
        }
    }
}
