import Foundation
import GRDB
import Mem0Client
import Storage
import TestSupport
import XCTest

/// Drives the real `memconsole` binary in a real terminal (tmux) on a real demo database.
///
/// Each test gets its own tmux server (`-L <unique socket>`), a 120×36 window running a plain shell, and waits for the
/// screen by polling `capture-pane` (50 ms steps, with a deadline) rather than by fixed sleeps.
final class ConsoleTmuxTests: XCTestCase {
    private var tmux: TmuxSession!
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory("console-tmux")
        tmux = try TmuxSession(width: 120, height: 36)
    }

    override func tearDownWithError() throws {
        tmux?.kill()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// A legacy demo database written by `memconsole demo-db` (50 users, 2,000 memories, 20,000 messages).
    private func demoDatabase() throws -> String {
        let path = folder.appendingPathComponent("demo.db").path
        let output = try runMemconsole(["demo-db", path])
        XCTAssertEqual(output.status, 0, output.stderr)
        return path
    }

    private func launch(_ arguments: String, environment: [String: String] = [:]) throws {
        let assignments = environment.map { "\($0.key)=\(TmuxSession.quoted($0.value))" }.joined(separator: " ")
        tmux.type("env -u MEM0_API_KEY -u MEM0_URL \(assignments) \(TmuxSession.quoted(memconsoleBinary.path)) \(arguments)")
        tmux.press("Enter")
    }

    func testNavigatesFromUsersToATranscriptAndTheSessionsAgentLogs() throws {
        let path = try demoDatabase()
        try launch(TmuxSession.quoted(path))
        var screen = try tmux.waitFor("alice1")
        XCTAssertTrue(screen.contains("legacy"), "status line shows the file state:\n\(screen)")
        XCTAssertTrue(screen.contains("Mem0 not configured"), screen)
        tmux.press("Enter")                       // user alice1: profiles
        screen = try tmux.waitFor("Users › User alice1")
        XCTAssertTrue(screen.contains("default"), screen)
        tmux.press("2")                           // sessions section
        screen = try tmux.waitFor("Msgs")
        tmux.press("Enter")                       // first session's transcript
        screen = try tmux.waitFor("▌user")
        XCTAssertTrue(screen.contains("Session #"), screen)
        let firstMessage = try XCTUnwrap(firstMessageOfFirstSession(path, username: "alice1"))
        XCTAssertTrue(screen.contains(String(firstMessage.prefix(20))),
                      "the transcript shows the first message '\(firstMessage)':\n\(screen)")
        tmux.press("a")                           // agent logs of this session
        screen = try tmux.waitFor("Agent logs")
        XCTAssertTrue(screen.contains("Level") || screen.contains("INFO") || screen.contains("no rows"), screen)
        tmux.press("q"); _ = try tmux.waitFor("▌user")
        tmux.press("q"); _ = try tmux.waitFor("Msgs")
        tmux.press("4")                           // the user's agent logs section
        screen = try tmux.waitFor("Agent")
        tmux.press("q"); screen = try tmux.waitFor("bjorn2")
    }

    func testSlashFiltersTheUsersList() throws {
        let path = try demoDatabase()
        try launch(TmuxSession.quoted(path))
        _ = try tmux.waitFor("alice1")
        tmux.press("/")
        tmux.type("minji")
        tmux.press("Enter")
        let screen = try tmux.waitUntil("only minji rows") { $0.contains("minji11") && !$0.contains("alice1") }
        XCTAssertTrue(screen.contains("minji27"), screen)
        XCTAssertFalse(screen.contains("bjorn2 "), screen)
    }

    func testTheLayoutFollowsAResize() throws {
        let path = try demoDatabase()
        try launch(TmuxSession.quoted(path))
        let wide = try tmux.waitFor("alice1")
        XCTAssertTrue(wide.contains("Display name"), wide)
        tmux.resize(width: 72, height: 20)
        let narrow = try tmux.waitUntil("a 72×20 layout") { screen in
            let lines = screen.components(separatedBy: "\n")
            return lines.count == 20 && screen.contains("alice1") && lines.last?.contains("open") == true
        }
        let lines = narrow.components(separatedBy: "\n")
        XCTAssertTrue(lines.allSatisfy { $0.count <= 72 }, narrow)
        XCTAssertTrue(lines[0].contains("memconsole"), "status line stays on top:\n\(narrow)")
        XCTAssertFalse(narrow.contains("minji27"), "fewer rows fit in 20 lines:\n\(narrow)")
        tmux.resize(width: 120, height: 36)
        _ = try tmux.waitUntil("back to 36 rows") { $0.contains("minji27") }
    }

    func testQuitRestoresTheTerminal() throws {
        let path = try demoDatabase()
        try launch(TmuxSession.quoted(path))
        _ = try tmux.waitFor("alice1")
        XCTAssertEqual(tmux.display("#{alternate_on}"), "1", "the console runs on the alternate screen")
        tmux.press("q")
        let screen = try tmux.waitUntil("the shell prompt is back") { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("READY$") }
        XCTAssertFalse(screen.contains("alice1"), "the console's screen is gone:\n\(screen)")
        XCTAssertEqual(tmux.display("#{alternate_on}"), "0", "the alternate screen is left")
        XCTAssertEqual(tmux.display("#{cursor_flag}"), "1", "the cursor is visible again")
        // The shell gets cooked, echoing input again: typed text appears and runs.
        tmux.type("echo restored-$((40+2))")
        tmux.press("Enter")
        _ = try tmux.waitFor("restored-42")
    }

    func testTerminationSignalRestoresTheTerminal() throws {
        let path = try demoDatabase()
        try launch(TmuxSession.quoted(path))
        _ = try tmux.waitFor("alice1")
        let pid = tmux.display("#{pane_pid}")
        let kill = try runProcess(URL(fileURLWithPath: "/usr/bin/pkill"), ["-TERM", "-P", pid, "-x", "memconsole"])
        XCTAssertEqual(kill.status, 0, kill.stderr)
        _ = try tmux.waitUntil("the shell prompt is back") { _ in self.tmux.display("#{alternate_on}") == "0" }
        XCTAssertEqual(tmux.display("#{cursor_flag}"), "1")
    }

    func testNoColorDrawsWithAttributesOnly() throws {
        let path = try demoDatabase()
        try launch(TmuxSession.quoted(path))
        _ = try tmux.waitFor("alice1")
        let coloured = tmux.captureWithAttributes()
        XCTAssertTrue(coloured.range(of: "\u{1B}\\[[0-9;]*(3[0-7]|4[0-7]|38;5;[0-9]+)[;m]", options: .regularExpression) != nil,
                      "colours are used by default")
        tmux.press("q"); _ = try tmux.waitUntil("prompt") { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("READY$") }

        try launch(TmuxSession.quoted(path), environment: ["NO_COLOR": "1"])
        _ = try tmux.waitFor("alice1")
        let plain = tmux.captureWithAttributes()
        XCTAssertNil(plain.range(of: "\u{1B}\\[[0-9;]*(3[0-7]|4[0-7]|38;5;[0-9]+)[;m]", options: .regularExpression),
                     "NO_COLOR: no colour sequences")
        XCTAssertNotNil(plain.range(of: "\u{1B}\\[([0-9]+;)*7m", options: .regularExpression),
                        "the selected row is reverse video")
        XCTAssertNotNil(plain.range(of: "\u{1B}\\[([0-9]+;)*1(;[0-9]+)*m", options: .regularExpression), "headers are bold")
    }

    func testRefusesWithoutATerminal() throws {
        let path = try demoDatabase()
        let output = try runMemconsole([path])              // stdout and stderr are pipes, stdin is /dev/null
        XCTAssertEqual(output.status, 2)
        XCTAssertEqual(output.stdout, "")
        let lines = output.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, output.stderr)
        XCTAssertTrue(output.stderr.contains("interactive terminal"), output.stderr)
        XCTAssertFalse(output.stderr.contains("\u{1B}"), "no terminal escapes were written")
    }

    func testRefusesABadFileBeforeTakingTheTerminal() throws {
        let notADatabase = folder.appendingPathComponent("notes.txt")
        try Data("just text\n".utf8).write(to: notADatabase)
        try launch(TmuxSession.quoted(notADatabase.path) + "; echo exit=$?")
        let screen = try tmux.waitFor("exit=12")
        XCTAssertTrue(screen.contains("is not an SQLite database"), screen)
        XCTAssertEqual(tmux.display("#{alternate_on}"), "0")
        let missing = try runMemconsole(["console", folder.appendingPathComponent("missing.db").path])
        XCTAssertEqual(missing.status, 10, missing.stderr)
    }

    func testDiffShowsTheLegacyRowBesideItsLiveMem0Record() throws {
        let server = try LocalMem0Server.shared()
        let path = try demoDatabase()
        // Link legacy memory #1 to a real Mem0 memory written with the client (the migration's own path is tested in MigrationTests).
        let legacy = try XCTUnwrap(try DatabaseQueue(path: path).read { db in
            try Row.fetchOne(db, sql: "SELECT id, user_id, memory_profile_id, content FROM memories WHERE id = 1")
        })
        let legacyContent: String = legacy["content"]
        let client = Mem0Client(configuration: Mem0Configuration(
            baseURL: server.url, dialect: .oss, apiKey: try XCTUnwrap(APIKey(server.apiKey))))
        let mem0UserID = LocalMem0Server.uniqueUserID("console")
        let changedText = legacyContent + " (edited in Mem0)"
        let added = try awaitResult {
            try await client.add(Mem0AddRequest(text: changedText, userID: mem0UserID,
                                                metadata: ["legacy_id": .int(1), "legacy_memory_type": .string("fact")]))
        }
        guard case .created(let ids) = added, let mem0ID = ids.first else { return XCTFail("no id from \(added)") }
        let database = try AppDatabase.open(at: path, mode: .readWrite)
        try database.write { db in try StorageSchema.createMemoriesMetadataTable(in: db) }   // now "partly migrated"
        let service = DatabaseService(database: database)
        let link = try service.linkMem0Memory(userID: legacy["user_id"], profileID: legacy["memory_profile_id"],
                                              mem0MemoryID: mem0ID)
        XCTAssertEqual(link.id, 1, "the first link row takes the legacy id")

        try launch(TmuxSession.quoted(path) + " --dialect oss", environment: server.environment)
        var screen = try tmux.waitFor("alice1")
        XCTAssertTrue(screen.contains(server.url.port.map(String.init) ?? "127.0.0.1"), "status line names the endpoint")
        XCTAssertFalse(screen.contains(server.apiKey), "the key is never shown")
        tmux.press("Enter"); _ = try tmux.waitFor("Users › User")
        tmux.press("3")
        screen = try tmux.waitFor(String(mem0ID.prefix(8)))
        tmux.press("Enter")
        screen = try tmux.waitUntil("the diff with the live record") { $0.contains("Mem0 \(mem0ID.prefix(8))") && $0.contains("differ") }
        XCTAssertTrue(screen.contains("legacy #1"), screen)
        XCTAssertTrue(screen.contains("(edited in Mem0)"), "the Mem0 side shows the live text:\n\(screen)")
        XCTAssertFalse(screen.contains(server.apiKey), "the key is never shown")
    }

    func testVerificationOfAMigratedFileAndTheWizardsPreflight() throws {
        let server = try LocalMem0Server.shared()
        let legacy = folder.appendingPathComponent("small.db").path
        XCTAssertEqual(try runMemconsole(["demo-db", legacy, "--users", "5", "--memories", "60", "--messages", "400"]).status, 0)
        let migrated = folder.appendingPathComponent("migrated.db").path
        try FileManager.default.copyItem(atPath: legacy, toPath: migrated)
        let migrate = try runMemconsole(["migrate", migrated, "--dialect", "oss", "--verify-sample", "0"],
                                        environment: server.environment)
        XCTAssertEqual(migrate.status, 0, migrate.stderr)

        try launch(TmuxSession.quoted(migrated) + " --dialect oss", environment: server.environment)
        _ = try tmux.waitFor("migrated")
        tmux.press("v")
        let verification = try tmux.waitUntil("the verification result") { $0.contains("holds") || $0.contains("could not run") }
        XCTAssertTrue(verification.contains("legacy = linked + duplicates + rejected"), verification)
        XCTAssertFalse(verification.contains("DOES NOT HOLD"), verification)
        tmux.press("q"); tmux.press("q")
        _ = try tmux.waitUntil("prompt") { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("READY$") }

        try launch(TmuxSession.quoted(legacy) + " --dialect oss", environment: server.environment)
        _ = try tmux.waitFor("alice1")
        tmux.press("m")
        let wizard = try tmux.waitFor("ready")
        XCTAssertTrue(wizard.contains("step 1/7"), wizard)
        XCTAssertTrue(wizard.contains("✓ Mem0 reachable"), "preflight pinged the live server:\n\(wizard)")
        XCTAssertFalse(wizard.contains(server.apiKey))
    }

    /// The whole wizard on a small legacy file against the real local Mem0: dry run, options (rate capped at 10/s so
    /// the run is long enough to watch), the confirm dialog (focus starts on Cancel), the run, verification, done.
    /// Afterwards the console shows the file as it now is: `migrated`, the detected dialect, and the memory list it
    /// was opened from reloaded with Mem0 ids. `memconsole verify` then agrees.
    func testTheWizardMigratesTheFileAndTheConsoleShowsItMigrated() throws {
        let server = try LocalMem0Server.shared()
        let path = folder.appendingPathComponent("wizard.db").path
        let demo = try runMemconsole(["demo-db", path, "--users", "5", "--memories", "60", "--messages", "200"])
        XCTAssertEqual(demo.status, 0, demo.stderr)
        let prefix = "wizard-\(UUID().uuidString.prefix(8).lowercased())-"
        var seen: [String] = []
        func status(_ screen: String) -> String { String(screen.split(separator: "\n", omittingEmptySubsequences: false).first ?? "") }
        func record(_ screen: String) -> String { seen.append(screen); return screen }

        try launch(TmuxSession.quoted(path) + " --user-id-prefix \(prefix)", environment: server.environment)
        var screen = record(try tmux.waitFor("alice1"))
        XCTAssertTrue(status(screen).contains("legacy") && status(screen).contains(" ro "), status(screen))
        XCTAssertTrue(status(screen).contains("(auto)"), "the configured dialect until Mem0 answers: \(status(screen))")
        tmux.press("Enter"); _ = try tmux.waitFor("Users › User alice1")
        tmux.press("3")                                   // the memories section: legacy rows, no Mem0 id column
        screen = record(try tmux.waitUntil("legacy memories") { $0.contains("Tags") })
        XCTAssertFalse(screen.contains("Mem0 id"), screen)

        tmux.press("m")
        screen = record(try tmux.waitFor("✓ ready"))
        // The local server answers both probes; auto detection settles on the first that answers (Platform).
        let detected = try XCTUnwrap(Self.word(in: screen, #"\n.*│ Mem0 +\S+ \((\w+)\)"#), screen)
        XCTAssertNotEqual(detected, "auto", screen)
        XCTAssertTrue(status(screen).contains("(\(detected))"), "the dialect the preflight detected: \(status(screen))")
        tmux.press("Enter")                               // step 2: dry run
        screen = record(try tmux.waitFor("Enter: choose the options", timeout: 30))
        tmux.press("Enter")                               // step 3: options
        _ = record(try tmux.waitFor("Rate cap"))
        for key in ["j", "j", "j", "+", "+", "+", "+"] { tmux.press(key) }   // rate cap: none → 1 → 2 → 5 → 10/s
        screen = record(try tmux.waitUntil("rate cap 10/s") { $0.contains("Rate cap") && $0.contains("10.0") })
        tmux.press("Enter")                               // step 4: the confirm dialog, focus on Cancel
        _ = record(try tmux.waitFor("Start the migration?"))
        tmux.press("Right"); tmux.press("Enter")          // Migrate

        // While it runs: the badge says the file is being written, and the bar counts what the lines below count.
        var judged = 0, sawWriting = false
        var previous = ""
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            let current = tmux.capture()
            seen.append(current)
            if current.contains("✓ holds") || current.contains("DOES NOT HOLD") || current.contains("run stopped") { break }
            if current == previous, current.contains("step 5/7") {
                if status(current).contains(" rw ") { sawWriting = true }
                if let bar = Self.number(in: current, #"([0-9,]+)/[0-9,]+ +[0-9.]+%"#),
                   let linked = Self.number(in: current, #"Linked +([0-9,]+)"#),
                   let duplicates = Self.number(in: current, #"Duplicates +([0-9,]+)"#),
                   let rejected = Self.number(in: current, #"Rejected +([0-9,]+)"#) {
                    XCTAssertEqual(bar, linked + duplicates + rejected, "the bar and the counts agree:\n\(current)")
                    judged += 1
                }
            }
            previous = current
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertGreaterThan(judged, 0, "the run screen was seen with its progress bar")
        XCTAssertTrue(sawWriting, "the status line said rw while the run wrote the file")

        screen = record(try tmux.waitFor("✓ holds", timeout: 60))     // step 6: verify
        XCTAssertTrue(screen.contains("step 6/7"), screen)
        XCTAssertFalse(screen.contains("DOES NOT HOLD"), screen)
        XCTAssertTrue(status(screen).contains("migrated"), "the file's new state: \(status(screen))")
        XCTAssertTrue(status(screen).contains(" ro "), "nothing writes the file any more: \(status(screen))")
        tmux.press("Enter")                               // step 7: done
        screen = record(try tmux.waitFor("Migration finished and verified"))
        tmux.press("q")                                   // back to the memories the wizard was opened from
        screen = record(try tmux.waitUntil("the reloaded memories with Mem0 ids") {
            $0.contains("Users › User alice1") && !$0.contains("Migration wizard") && $0.contains("Mem0 id")
                && $0.range(of: #"[0-9a-f]{8}-[0-9a-f]{4}"#, options: .regularExpression) != nil
        })
        XCTAssertTrue(status(screen).contains("migrated") && !status(screen).contains("legacy"), status(screen))
        XCTAssertTrue(status(screen).contains("(\(detected))"), status(screen))
        tmux.press("q"); tmux.press("q")
        _ = try tmux.waitUntil("prompt") { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("READY$") }

        for shown in seen { XCTAssertFalse(shown.contains(server.apiKey), "the key is never shown:\n\(shown)") }
        let verify = try runMemconsole(["verify", path], environment: server.environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    static func number(in text: String, _ pattern: String) -> Int? {
        word(in: text, pattern).flatMap { Int($0.replacingOccurrences(of: ",", with: "")) }
    }

    /// The first capture group of `pattern` in `text`.
    static func word(in text: String, _ pattern: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    func testDiffWithADeadMem0ShowsAnErrorAndStaysResponsive() throws {
        let path = try demoDatabase()
        let database = try AppDatabase.open(at: path, mode: .readWrite)
        try database.write { db in try StorageSchema.createMemoriesMetadataTable(in: db) }
        let service = DatabaseService(database: database)
        try service.linkMem0Memory(userID: 1, profileID: nil, mem0MemoryID: "00000000-dead-4000-8000-000000000001")
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        try launch(TmuxSession.quoted(path), environment: ["MEM0_URL": "http://127.0.0.1:9", "MEM0_API_KEY": "mc-dead-key"])
        _ = try tmux.waitFor("alice1")
        tmux.press("Enter"); _ = try tmux.waitFor("Users › User")
        tmux.press("3"); _ = try tmux.waitFor("00000000")
        tmux.press("Enter")
        let screen = try tmux.waitFor("Mem0 could not be asked", timeout: 20)
        XCTAssertFalse(screen.contains("mc-dead-key"), screen)
        tmux.press("q")
        _ = try tmux.waitFor("Users › User")          // still answering keys
    }

    // MARK: keys apply in order, against the state the operator sees (20,000-user file)

    /// A demo file of 20,000 users (the users list is 20,000 rows deep; most users have no sessions).
    private func twentyThousandUsers() throws -> String {
        let path = folder.appendingPathComponent("users20k.db").path
        let output = try runMemconsole(["demo-db", path, "--users", "20000", "--memories", "20000", "--messages", "20000"])
        XCTAssertEqual(output.status, 0, output.stderr)
        return path
    }

    func testABurstOf500JLandsOnUser501() throws {
        let path = try twentyThousandUsers()
        try launch(TmuxSession.quoted(path))
        _ = try tmux.waitFor("user #1 ")
        tmux.type(String(repeating: "j", count: 500))      // one write: the keys arrive together
        let screen = try tmux.waitUntil("the cursor at rest on a row past #480") { screen in
            guard let n = Self.number(in: screen, #"user #(\d+)"#) else { return false }
            return n > 480
        }
        XCTAssertEqual(Self.number(in: screen, #"user #(\d+)"#), 501, screen)
    }

    func testGThenEnterAtOnceOpensTheLastUser() throws {
        let path = try twentyThousandUsers()
        let last = try XCTUnwrap(DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: "SELECT username FROM users ORDER BY id DESC LIMIT 1")
        })
        try launch(TmuxSession.quoted(path))
        _ = try tmux.waitFor("user #1 ")
        _ = try tmux.run(["send-keys", "-t", "main", "G", "Enter"])
        let screen = try tmux.waitFor("Users › User ")
        XCTAssertTrue(screen.contains("Users › User \(last)"), "G then Enter opens the last user, \(last):\n\(screen)")
    }

    func testEnterTypedWhileAListLoadsOpensTheRowItLandsOn() throws {
        let path = try twentyThousandUsers()
        let (username, title) = try XCTUnwrap(DatabaseQueue(path: path).read { db -> (String, String)? in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT u.username, s.title FROM chat_sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id = (SELECT min(id) FROM chat_sessions) 
                """) else { return nil }
            return (row["username"], row["title"] ?? "")
        })
        try launch(TmuxSession.quoted(path))
        _ = try tmux.waitFor("user #1 ")
        tmux.press("/"); tmux.type(username); tmux.press("Enter")
        _ = try tmux.waitFor("filter “\(username)”")
        // Open the user, switch to Sessions and open the first session, all typed before any of it was drawn.
        _ = try tmux.run(["send-keys", "-t", "main", "Enter", "2", "Enter"])
        let screen = try tmux.waitFor("▌")
        XCTAssertTrue(screen.contains("User \(username) › Session #"), "the Enter opened the first session:\n\(screen)")
        XCTAssertTrue(screen.contains(String(title.prefix(10))), screen)
    }

    // MARK: helpers

    private func firstMessageOfFirstSession(_ path: String, username: String) throws -> String? {
        try DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: """
                SELECT content FROM chat_messages WHERE session_id = (
                  SELECT s.id FROM chat_sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ? ORDER BY s.id LIMIT 1)
                ORDER BY id LIMIT 1
                """, arguments: [username])
        }
    }

    private func awaitResult<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = expectation(description: "async call")
        Task {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.fulfill()
        }
        wait(for: [done], timeout: 60)
        return try XCTUnwrap(box.result).get()
    }
}

private final class ResultBox<T>: @unchecked Sendable { var result: Result<T, Error>? }

/// One private tmux server with one window running a plain shell.
final class TmuxSession {
    static let prompt = "READY$ "
    let socket = "memconsole-test-\(UUID().uuidString.prefix(8))"

    init(width: Int, height: Int) throws {
        let shell = "env -i HOME=\(NSHomeDirectory()) PATH=\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") TERM=tmux-256color LANG=C.UTF-8 PS1='\(Self.prompt)' bash --norc --noprofile"
        // The server that new-session forks keeps the client's stdio: spawn it with /dev/null and reap it directly
        // (and no other inherited descriptor).
        let status = Self.spawnAndWait(["/usr/bin/tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d",
                                        "-x", "\(width)", "-y", "\(height)", "-s", "main", shell])
        guard status == 0 else { throw TmuxError(message: "tmux new-session failed (is tmux installed?)") }
        _ = try waitFor("READY$")
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> ProcessOutput {
        try runProcess(URL(fileURLWithPath: "/usr/bin/tmux"), ["-L", socket] + arguments)
    }

    func type(_ text: String) { _ = try? run(["send-keys", "-t", "main", "-l", text]) }
    func press(_ key: String) { _ = try? run(["send-keys", "-t", "main", key]) }
    func resize(width: Int, height: Int) { _ = try? run(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"]) }
    func display(_ format: String) -> String {
        ((try? run(["display-message", "-p", "-t", "main", format]))?.stdout ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
    /// The screen with its SGR attributes (`capture-pane -e`).
    func captureWithAttributes() -> String { (try? run(["capture-pane", "-e", "-p", "-t", "main"]))?.stdout ?? "" }

    func capture() -> String {
        let text = (try? run(["capture-pane", "-p", "-t", "main"]))?.stdout ?? ""
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// Polls until `text` is on screen and the screen stopped changing; throws with the last screen on timeout.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 10) throws -> String {
        try waitUntil("'\(text)' on screen", timeout: timeout) { $0.contains(text) }
    }

    @discardableResult
    func waitUntil(_ what: String, timeout: TimeInterval = 10, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var previous: String?
        while Date() < deadline {
            let screen = capture()
            if condition(screen), screen == previous { return screen }
            previous = condition(screen) ? screen : nil
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TmuxError(message: "timed out waiting for \(what); the screen was:\n\(capture())")
    }

    /// posix_spawn with stdin/stdout/stderr on /dev/null, then waitpid: the exit status, or -1.
    static func spawnAndWait(_ arguments: [String]) -> Int32 {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        // The tmux server outlives this call: it must not keep the test process's own pipes (Foundation's process
        // monitoring among them) open, or later `Process` runs never see their child finish.
        // (glibc's closefrom file action is not visible to Swift: mark every descriptor above 2 close-on-exec.)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(entry), fd > 2 { _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC) }
        }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    func kill() { _ = try? run(["kill-server"]) }

    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

struct TmuxError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
