import Foundation
import GRDB
import Mem0Client
import Storage
import TestSupport
import XCTest

/// The day-after screens in a real terminal: the real binary in tmux on a migrated demo file, against the real local
/// Mem0 (scripts/mem0_server.py), with drift made the way the app and its operators make it (memories deleted in
/// Mem0, a memory added with no row, a row edited in SQLite).
final class Mem0ScreensTmuxTests: XCTestCase {
    private var tmux: TmuxSession!
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory("mem0-screens")
        tmux = try TmuxSession(width: 160, height: 40)
    }

    override func tearDownWithError() throws {
        tmux?.kill()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    struct MigratedFile {
        var path: String
        var prefix: String
        var dialect: String
        var client: Mem0Client
    }

    /// A demo file (5 users, 60 memories) migrated with a unique user-id prefix.
    private func migratedFile(dialect: String, server: LocalMem0Server) throws -> MigratedFile {
        let path = folder.appendingPathComponent("app.db").path
        XCTAssertEqual(try runMemconsole(["demo-db", path, "--users", "5", "--memories", "60", "--messages", "100"]).status, 0)
        let prefix = "screens-\(UUID().uuidString.prefix(8).lowercased())-"
        let migrate = try runMemconsole(["migrate", path, "--user-id-prefix", prefix, "--dialect", dialect, "--verify-sample", "0"],
                                        environment: server.environment)
        XCTAssertEqual(migrate.status, 0, migrate.stdout + migrate.stderr)
        let client = Mem0Client(configuration: Mem0Configuration(
            baseURL: server.url, dialect: dialect == "oss" ? .oss : .platform, apiKey: APIKey(server.apiKey)!))
        return MigratedFile(path: path, prefix: prefix, dialect: dialect, client: client)
    }

    private func launch(_ file: MigratedFile, server: LocalMem0Server) {
        let assignments = server.environment.map { "\($0.key)=\(TmuxSession.quoted($0.value))" }.joined(separator: " ")
        tmux.type("env -u MEM0_API_KEY -u MEM0_URL \(assignments) \(TmuxSession.quoted(memconsoleBinary.path)) \(TmuxSession.quoted(file.path)) --dialect \(file.dialect) --user-id-prefix \(file.prefix)")
        tmux.press("Enter")
    }

    private func metadataRows(_ path: String) throws -> [MemoryMetadata] {
        try AppDatabase.open(at: path, mode: .readOnly).read { try MemoryMetadata.order(Column("id")).fetchAll($0) }
    }

    /// 2 memories deleted in Mem0, 1 memory with no row, 1 row whose type was edited in SQLite.
    private func makeDrift(_ file: MigratedFile) async throws -> (deleted: [String], unlinked: String, edited: Int64) {
        let rows = try metadataRows(file.path)
        let deleted = [rows[0].mem0MemoryID, rows[1].mem0MemoryID]
        for id in deleted {
            let result = try await file.client.delete(id: id)
            XCTAssertEqual(result, .deleted)
        }
        let added = try await file.client.add(Mem0AddRequest(
            text: "orphaned by a crash: 京都 🌸", userID: "\(file.prefix)\(rows[2].userID)",
            metadata: ["legacy_memory_type": "event", "legacy_tags": ["crash"], "legacy_profile_id": .null]))
        guard case .created(let ids) = added, let unlinked = ids.first else { throw TmuxError(message: "add: \(added)") }
        let service = DatabaseService(database: try AppDatabase.open(at: file.path, mode: .readWrite))
        let edited = try XCTUnwrap(rows[3].id)
        _ = try service.updateMemoryMetadata(id: edited, changes: .init(memoryType: .some(rows[3].memoryType == "fact" ? "event" : "fact")))
        try service.database.close()
        return (deleted, unlinked, edited)
    }

    func testTheAuditScreenFindsTheDriftRepairsTheDanglingRowsAndTheUndoBringsThemBack() async throws {
        let server = try LocalMem0Server.shared()
        let file = try migratedFile(dialect: "oss", server: server)
        let drift = try await makeDrift(file)
        let storedBefore = try (1...5).map { try server.storedCount(userID: "\(file.prefix)\($0)") }.reduce(0, +)

        launch(file, server: server)
        _ = try tmux.waitFor("migrated")
        tmux.press("A")
        var screen = try tmux.waitFor("✗ drift: 2 dangling · 1 unlinked · 1 disagreeing", timeout: 30)
        XCTAssertTrue(screen.contains("metadata rows = linked-and-matching + dangling + disagreeing   ✓ holds"), screen)
        XCTAssertTrue(screen.contains("Mem0 memories = linked + unlinked   ✓ holds"), screen)
        for id in drift.deleted + [drift.unlinked] { XCTAssertTrue(screen.contains(id), "every finding's full Mem0 id at 160 columns: \(id)\n\(screen)") }
        XCTAssertTrue(screen.contains("#\(drift.edited)"), screen)

        // Yank: OSC 52 reaches tmux's paste buffer.
        _ = try tmux.run(["set-option", "-s", "set-clipboard", "on"])
        tmux.press("y")
        _ = try tmux.waitFor("copied ")
        let buffer = try tmux.run(["show-buffer"]).stdout
        XCTAssertTrue((drift.deleted + [drift.unlinked]).contains(buffer), "the yanked text is a finding's Mem0 id: \(buffer)")

        // Repair the dangling rows only: the review lists both deletions, the focus is on Cancel, y applies.
        tmux.press("1"); tmux.press("R")
        screen = try tmux.waitFor("Repair?")
        XCTAssertEqual(screen.components(separatedBy: "• delete metadata row").count - 1, 2, screen)
        XCTAssertFalse(screen.contains("DELETE Mem0 memory"), screen)
        tmux.press("y")
        screen = try tmux.waitFor("✗ drift: 0 dangling · 1 unlinked · 1 disagreeing", timeout: 30)
        let runID = try XCTUnwrap(ConsoleTmuxTests.word(in: screen, #"✓ repair run ([0-9A-Za-z-]+): 2 applied"#), screen)
        XCTAssertTrue(screen.contains("undo: memconsole repair \(file.path) --undo \(runID)"), screen)
        XCTAssertFalse(try metadataRows(file.path).contains { drift.deleted.contains($0.mem0MemoryID) })
        let storedAfter = try (1...5).map { try server.storedCount(userID: "\(file.prefix)\($0)") }.reduce(0, +)
        XCTAssertEqual(storedAfter, storedBefore, "repair deleted nothing in Mem0")

        // The undo the screen names brings the rows back; the next audit sees them dangling again.
        let undo = try runMemconsole(["repair", file.path, "--undo", runID], environment: server.environment)
        XCTAssertEqual(undo.status, 0, undo.stdout + undo.stderr)
        tmux.press("r")
        screen = try tmux.waitFor("✗ drift: 2 dangling · 1 unlinked · 1 disagreeing", timeout: 30)
        XCTAssertFalse(screen.contains(server.apiKey), "the key is never shown")
    }

    func testTheMem0SectionSearchHistoryAndRowsOSS() async throws { try await mem0Side(dialect: "oss") }

    func testTheMem0SectionSearchHistoryAndRowsPlatform() async throws { try await mem0Side(dialect: "platform") }

    /// User 1's Mem0 memories (as many as the server stores for it, one no row links), a search for the unlinked one
    /// and for a migrated one, the history, and each memory's rows as stored.
    private func mem0Side(dialect: String) async throws {
        let server = try LocalMem0Server.shared()
        let file = try migratedFile(dialect: dialect, server: server)
        let added = try await file.client.add(Mem0AddRequest(
            text: "orphaned by a crash: the user likes 京都 🌸", userID: "\(file.prefix)1",
            metadata: ["legacy_memory_type": "event", "legacy_tags": ["crash"], "legacy_profile_id": .null]))
        guard case .created(let ids) = added, let unlinked = ids.first else { throw TmuxError(message: "add: \(added)") }
        let stored = try server.storedCount(userID: "\(file.prefix)1")
        let migrated = try XCTUnwrap(try metadataRows(file.path).first { $0.userID == 1 })
        let migratedText = try XCTUnwrap(try AppDatabase.open(at: file.path, mode: .readOnly).read { db in
            try String.fetchOne(db, sql: "SELECT content FROM memories_backup WHERE id = ?", arguments: [migrated.id])
        })

        launch(file, server: server)
        _ = try tmux.waitFor("migrated")
        // The memories_metadata list of its own: `:` jumps to the migrated row by id.
        tmux.press("M")
        _ = try tmux.waitFor("metadata row #")
        tmux.press(":"); tmux.type("\(try XCTUnwrap(migrated.id))"); tmux.press("Enter")
        var screen = try tmux.waitFor("metadata row #\(try XCTUnwrap(migrated.id))")
        XCTAssertTrue(screen.contains(migrated.mem0MemoryID), screen)
        tmux.press("q")
        tmux.press("Enter")
        _ = try tmux.waitFor("5 Mem0")
        tmux.press("5")
        screen = try tmux.waitFor("Mem0 memory 1 of \(stored)", timeout: 20)
        XCTAssertTrue(screen.contains("✗ no row"), "the unlinked memory is listed without a row:\n\(screen)")
        XCTAssertTrue(screen.contains("#\(try XCTUnwrap(migrated.id))"), screen)

        // Search within the user: the unlinked memory ranks first, with a score; its history; its (missing) rows.
        tmux.press("s"); tmux.type("orphaned by a crash"); tmux.press("Enter")
        screen = try tmux.waitFor("result 1 of", timeout: 20)
        XCTAssertTrue(screen.contains("result 1 of") && screen.contains(unlinked), "best first:\n\(screen)")
        XCTAssertNotNil(ConsoleTmuxTests.word(in: screen, #"\n(0\.[0-9]{3}|1\.000) "#), "a score:\n\(screen)")
        tmux.press("Enter")
        screen = try tmux.waitFor("ADD", timeout: 20)
        XCTAssertTrue(screen.contains("new: orphaned by a crash"), screen)
        tmux.press("o")
        screen = try tmux.waitFor("metadata row: none links this memory (unlinked)")
        tmux.press("q"); tmux.press("q"); tmux.press("q")   // rows, history, search: back in the Mem0 section
        _ = try tmux.waitFor("Mem0 memory 1 of \(stored)")

        // A migrated memory: its metadata row and its legacy row, as stored.
        tmux.press("/"); tmux.type(String(migratedText.prefix(40))); tmux.press("Enter")
        screen = try tmux.waitUntil("the migrated memory found", timeout: 20) { $0.contains("result 1 of") && $0.contains(migrated.mem0MemoryID) }
        tmux.press("o")
        screen = try tmux.waitFor("legacy row: memories_backup #\(try XCTUnwrap(migrated.id)), as stored")
        XCTAssertTrue(screen.contains("metadata row: memories_metadata #\(try XCTUnwrap(migrated.id)), as stored"), screen)
        XCTAssertTrue(screen.contains("mem0_memory_id"), screen)
        tmux.press("q"); tmux.press("q")
        _ = try tmux.waitFor("Mem0 memory 1 of \(stored)")
        XCTAssertFalse(tmux.capture().contains(server.apiKey))
    }

    /// Live refresh: a writer process (sqlite3) inserts messages into a WAL-mode file while the console watches; the
    /// session's count, then the transcript, show them within 2 s, with the cursor where it was.
    func testRowsAnotherProcessWritesAppearWithin2sWithTheCursorInPlace() throws {
        let path = folder.appendingPathComponent("live.db").path
        XCTAssertEqual(try runMemconsole(["demo-db", path, "--users", "5", "--memories", "60", "--messages", "100"]).status, 0)
        let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")
        XCTAssertEqual(try runProcess(sqlite3, [path, "PRAGMA journal_mode=WAL"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines), "wal")

        tmux.type("env -u MEM0_API_KEY -u MEM0_URL \(TmuxSession.quoted(memconsoleBinary.path)) \(TmuxSession.quoted(path))")
        tmux.press("Enter")
        _ = try tmux.waitUntil("users, live") { $0.contains("alice1") && $0.contains(" live ") }
        tmux.press("Enter"); tmux.press("2")
        _ = try tmux.waitFor("session #")
        tmux.press("j")
        var screen = try tmux.waitUntil("the second session selected") { ($0.components(separatedBy: "session #").count - 1) == 1 }
        let session = try XCTUnwrap(ConsoleTmuxTests.number(in: screen, #"session #([0-9]+)"#), screen)
        func messages(_ screen: String) -> Int? {
            ConsoleTmuxTests.number(in: screen, #"(?m)^ *\#(session) .*? ([0-9,]+) +[0-9]{4}-[0-9]{2}-[0-9]{2} "#)
        }
        let before = try XCTUnwrap(messages(screen), screen)

        let insert = (1...3).map { "INSERT INTO chat_messages (session_id, role, content) VALUES (\(session), 'user', 'live refresh \($0)');" }
        XCTAssertEqual(try runProcess(sqlite3, [path, insert.joined(separator: " ")]).status, 0)
        screen = try tmux.waitUntil("the count grown by 3", timeout: 2) { messages($0) == before + 3 }
        XCTAssertTrue(screen.contains("session #\(session)"), "the cursor stayed on the session:\n\(screen)")
        XCTAssertNotNil(ConsoleTmuxTests.word(in: screen, #"live · changed ([0-9]{2}:[0-9]{2}:[0-9]{2})"#), screen)

        tmux.press("Enter"); tmux.press("G")
        _ = try tmux.waitFor("live refresh 3")
        let marker = "written while watched \(UUID().uuidString.prefix(8))"
        XCTAssertEqual(try runProcess(sqlite3, [path, "INSERT INTO chat_messages (session_id, role, content) VALUES (\(session), 'assistant', '\(marker)')"]).status, 0)
        _ = try tmux.waitFor(marker, timeout: 2)
    }
}
