import Foundation
import GRDB
import Storage
import TestSupport
import XCTest

/// The wizard's unhappy paths in a real terminal: cancel mid-run, resume from a reopened console, a read-only file
/// at preflight, verification with Mem0 down, and a CLI resume while a console watches the file. The real binary,
/// the real local Mem0 (and the fault proxy where a refusal is needed).
final class WizardEndStateTmuxTests: XCTestCase {
    private var tmux: TmuxSession!
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory("wizard-end")
        tmux = try TmuxSession(width: 120, height: 36)
    }

    override func tearDownWithError() throws {
        tmux?.kill()
        if let folder {
            _ = try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder.appendingPathComponent("app.db").path)
            try? FileManager.default.removeItem(at: folder)
        }
    }

    private func demo(users: Int = 6, memories: Int = 300) throws -> String {
        let path = folder.appendingPathComponent("app.db").path
        let output = try runMemconsole(["demo-db", path, "--users", "\(users)", "--memories", "\(memories)", "--messages", "100"])
        XCTAssertEqual(output.status, 0, output.stderr)
        return path
    }

    private func open(_ path: String, prefix: String, environment: [String: String]) {
        let assignments = environment.map { "\($0.key)=\(TmuxSession.quoted($0.value))" }.joined(separator: " ")
        tmux.type("env -u MEM0_API_KEY -u MEM0_URL \(assignments) \(TmuxSession.quoted(memconsoleBinary.path)) \(TmuxSession.quoted(path)) --user-id-prefix \(prefix)")
        tmux.press("Enter")
    }

    private func statusLine(_ screen: String) -> String { String(screen.split(separator: "\n").first ?? "") }

    func testACancelledRunIsResumableAndTheReopenedWizardResumesItToAVerifiedFile() throws {
        let server = try LocalMem0Server.shared()
        let path = try demo()
        let prefix = "cancel-\(UUID().uuidString.prefix(8).lowercased())-"
        open(path, prefix: prefix, environment: server.environment)
        _ = try tmux.waitFor("alice1")
        tmux.press("m"); _ = try tmux.waitFor("✓ ready")
        tmux.press("Enter"); _ = try tmux.waitFor("Enter: choose the options", timeout: 30)
        tmux.press("Enter"); _ = try tmux.waitFor("Rate cap")
        for key in ["j", "j", "j", "+", "+", "+", "+"] { tmux.press(key) }   // rate cap 10/s: the run takes a while
        _ = try tmux.waitUntil("rate cap 10/s") { $0.contains("Rate cap") && $0.contains("10.0") }
        tmux.press("Enter"); _ = try tmux.waitFor("Start the migration?")
        tmux.press("y")
        _ = try tmux.waitUntil("some rows linked", timeout: 60) {
            guard let linked = ConsoleTmuxTests.number(in: $0, #"Linked +([0-9,]+)"#) else { return false }
            return linked >= 10
        }
        tmux.press("x")
        // Cancel: the adds in flight finish (a 10/s cap keeps them few), then the run says what it is.
        var screen = try tmux.waitFor("cancelled — resumable", timeout: 5)
        XCTAssertTrue(screen.contains("Enter resumes the run"), screen)
        XCTAssertFalse(screen.contains(server.apiKey))
        tmux.press("q")                                          // q works once the run has ended
        screen = try tmux.waitUntil("back on the users, partly migrated") {
            !$0.contains("Migration wizard") && self.statusLine($0).contains("partly migrated")
        }
        XCTAssertEqual(try DatabaseInspector.inspect(path: path), .partlyMigrated)
        let stopped = try JournalReading.linksPerUser(path).values.reduce(0, +)
        XCTAssertGreaterThan(stopped, 0)
        tmux.press("q")
        _ = try tmux.waitUntil("prompt") { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("READY$") }

        // Reopened: the wizard goes to the run step with the interrupted run and Resume.
        open(path, prefix: prefix, environment: server.environment)
        _ = try tmux.waitFor("alice1")
        tmux.press("m")
        screen = try tmux.waitFor("was interrupted at")
        XCTAssertTrue(screen.contains("✓ the file: partly migrated"), screen)
        tmux.press("Enter")
        screen = try tmux.waitFor("An interrupted run is recorded in this file.")
        XCTAssertTrue(screen.contains("step 5/7"), screen)
        tmux.press("Enter")                                      // Resume
        screen = try tmux.waitFor("✓ holds", timeout: 90)
        XCTAssertFalse(screen.contains("DOES NOT HOLD"), screen)
        XCTAssertTrue(statusLine(screen).contains("migrated"), statusLine(screen))
        tmux.press("Enter"); _ = try tmux.waitFor("Migration finished and verified")
        tmux.press("q"); tmux.press("q")                         // the wizard, then the users list
        _ = try tmux.waitUntil("prompt") { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("READY$") }

        let verify = try runMemconsole(["verify", path], environment: server.environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        for (user, n) in try JournalReading.linksPerUser(path) {
            XCTAssertEqual(try server.storedCount(userID: user), n, "the server holds exactly one memory per link of \(user)")
        }
    }

    func testAReadOnlyFileStopsAtPreflightWithTheFix() throws {
        let server = try LocalMem0Server.shared()
        let path = try demo(users: 3, memories: 40)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        open(path, prefix: "ro-", environment: server.environment)
        _ = try tmux.waitFor("alice1")
        tmux.press("m")
        let screen = try tmux.waitFor("not ready")
        XCTAssertTrue(screen.contains("✗ file and folder writable"), screen)
        XCTAssertTrue(screen.contains("chmod u+w"), screen)
        tmux.press("Enter")
        XCTAssertTrue(try tmux.waitFor("step 1/7").contains("Preflight"), "it does not go on to the plan")
        tmux.press("q"); tmux.press("q")
    }

    func testVerificationWithMem0DownFailsAsFastAsTheDiff() throws {
        let server = try LocalMem0Server.shared()
        let path = try demo(users: 3, memories: 40)
        let migrated = try runMemconsole(["migrate", path, "--user-id-prefix", "down-\(UUID().uuidString.prefix(6))-"],
                                         environment: server.environment)
        XCTAssertEqual(migrated.status, 0, migrated.stderr)
        var dead = server.environment
        dead["MEM0_URL"] = "http://127.0.0.1:9"
        open(path, prefix: "down-", environment: dead)
        _ = try tmux.waitFor("alice1")
        tmux.press("v")
        // The same bound the diff screen's dead-Mem0 test uses: one unretried ping, not every list's retries.
        let screen = try tmux.waitFor("Cannot reach Mem0", timeout: 5)
        XCTAssertFalse(screen.contains(server.apiKey))
        tmux.press("q"); tmux.press("q")
    }

    func testACLIResumeWhileAConsoleWatchesTheFileIsSeenAtTheConsolesNextRead() throws {
        let server = try LocalMem0Server.shared()
        let proxy = try server.startProxy(["--refuse-status", "403", "--refuse-after-adds", "20"])
        defer { proxy.stop() }
        let path = try demo(users: 4, memories: 80)
        let prefix = "watch-\(UUID().uuidString.prefix(8).lowercased())-"
        var env = server.environment
        env["MEM0_URL"] = proxy.url.absoluteString
        XCTAssertEqual(try runMemconsole(["migrate", path, "--user-id-prefix", prefix], environment: env).status, 77)
        open(path, prefix: prefix, environment: server.environment)
        var screen = try tmux.waitFor("alice1")
        XCTAssertTrue(statusLine(screen).contains("partly migrated"), statusLine(screen))

        try proxy.configure(["refuse_status": 0])
        let resumed = try runMemconsole(["migrate", path, "--resume", "--user-id-prefix", prefix], environment: env)
        XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
        tmux.press("r")
        screen = try tmux.waitUntil("the console sees the migrated file") { self.statusLine($0).contains("migrated") && !self.statusLine($0).contains("partly") }
        tmux.press("q")
    }
}
