import Foundation
import Storage
import TestSupport
import XCTest

/// `migrate` reports the phases besides sending as they go: lines in a pipe, events with `--json`.
final class PhaseProgressCommandTests: XCTestCase {
    /// A demo file in a fresh folder (removed by `tearDown`), and a Mem0 user-id prefix of its own.
    private var folders: [URL] = []
    override func tearDown() { for folder in folders { try? FileManager.default.removeItem(at: folder) } }

    private func demoFile(users: Int, memories: Int, seed: UInt64) throws -> (file: URL, prefix: String) {
        let folder = try makeTemporaryDirectory("phase-progress")
        folders.append(folder)
        let file = folder.appendingPathComponent("app.db")
        try DemoDatabaseGenerator.write(to: file.path, options: .init(users: users, memories: memories, messages: 20, seed: seed))
        return (file, "phase-\(UUID().uuidString.prefix(8).lowercased())-")
    }

    private func lines(_ output: ProcessOutput) -> [String] { output.stdout.split(separator: "\n").map(String.init) }

    private func jsonEvents(_ output: ProcessOutput) -> [[String: Any]] {
        lines(output).compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func testADryRunOfALargeFileInAPipePrintsPlanningProgressBeforeThePlan() throws {
        let server = try LocalMem0Server.shared()
        let rows = 100_000
        let (file, _) = try demoFile(users: 1000, memories: rows, seed: 5)

        let dry = try runMemconsole(["migrate", file.path, "--dry-run"], environment: server.environment)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        let output = lines(dry)
        let planLine = try XCTUnwrap(output.firstIndex { $0.hasPrefix("plan: \(rows) rows") }, dry.stdout)
        let planning = output.enumerated().filter { $0.element.hasPrefix("planning: ") }
        XCTAssertEqual(planning.first?.element, "planning: 0/\(rows) rows (0%)")
        XCTAssertTrue(planning.last?.element.hasPrefix("planning: \(rows)/\(rows) rows (100%)") ?? false,
                      planning.last?.element ?? "no planning line")
        XCTAssertTrue(planning.allSatisfy { $0.offset < planLine }, "every planning line comes before the plan")
        for (_, line) in planning.dropFirst().dropLast() {
            XCTAssertTrue(line.contains(" rows/s, ETA "), "a line between has a rate and an ETA: \(line)")
        }

        let json = try runMemconsole(["migrate", file.path, "--dry-run", "--json"], environment: server.environment)
        XCTAssertEqual(json.status, 0, json.stderr)
        let events = jsonEvents(json)
        let planned = try XCTUnwrap(events.firstIndex { $0["event"] as? String == "planned" })
        let phases = events.prefix(planned)
        XCTAssertFalse(phases.isEmpty)
        XCTAssertTrue(phases.allSatisfy { $0["event"] as? String == "phase_progress" && $0["phase"] as? String == "plan" })
        XCTAssertEqual(phases.last?["done"] as? Int, rows)
        XCTAssertEqual(phases.last?["total"] as? Int, rows)
    }

    func testARunReportsBackupSweepFinalizeAndVerifyBeforeTheirResults() throws {
        let server = try LocalMem0Server.shared()
        let (file, prefix) = try demoFile(users: 4, memories: 40, seed: 9)

        let run = try runMemconsole(["migrate", file.path, "--backup", "--json", "--user-id-prefix", prefix],
                                    environment: server.environment)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let events = jsonEvents(run)
        func index(_ name: String) -> Int? { events.firstIndex { $0["event"] as? String == name } }
        func phase(_ name: String) -> [Int] {
            events.indices.filter { events[$0]["event"] as? String == "phase_progress" && events[$0]["phase"] as? String == name }
        }
        let backup = try XCTUnwrap(index("backup_written")), finalized = try XCTUnwrap(index("finalized"))
        let verified = try XCTUnwrap(index("verified"))
        for (name, before) in [("backup", backup), ("sweep", finalized), ("finalize", finalized), ("verify", verified)] {
            let at = phase(name)
            XCTAssertFalse(at.isEmpty, "no \(name) progress")
            XCTAssertTrue(at.allSatisfy { $0 < before }, "\(name) progress comes before its result")
            let last = events[try XCTUnwrap(at.last)]
            XCTAssertEqual(last["done"] as? Int, last["total"] as? Int, "\(name) ends complete")
        }
        let run2 = try runMemconsole(["rollback", file.path], environment: server.environment)
        XCTAssertEqual(run2.status, 0, run2.stderr)
    }

    func testVerifyPrintsItsProgressOnStderrAndKeepsStdoutForTheResult() throws {
        let server = try LocalMem0Server.shared()
        let (file, prefix) = try demoFile(users: 3, memories: 30, seed: 4)
        let run = try runMemconsole(["migrate", file.path, "--user-id-prefix", prefix], environment: server.environment)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)

        let verify = try runMemconsole(["verify", file.path, "--json"], environment: server.environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any],
                        "stdout is the one JSON object")
        XCTAssertTrue(verify.stderr.contains("verifying: 0/"), verify.stderr)
        XCTAssertTrue(verify.stderr.contains(" users (100%)"), verify.stderr)
        _ = try runMemconsole(["rollback", file.path], environment: server.environment)
    }
}
