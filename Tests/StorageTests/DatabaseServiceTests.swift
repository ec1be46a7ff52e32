import Foundation
import GRDB
import Storage
import XCTest

/// The service layer of plan 2.4 on a real current-schema file.
final class DatabaseServiceTests: StorageTestCase {
    var service: DatabaseService!
    var file: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        let (file, queue) = try currentDatabase()
        try queue.close()
        self.file = file
        service = DatabaseService(database: try AppDatabase.open(at: file, mode: .readWrite))
    }

    func testMetadataLifecycle() throws {
        let user = try service.createUser(username: "alice", email: "alice@example.org")
        let userID = try XCTUnwrap(user.id)
        let profile = try service.createProfile(userID: userID, name: "default", isDefault: true)
        let profileID = try XCTUnwrap(profile.id)

        let created = try service.createMemoryMetadata(userID: userID, profileID: profileID, mem0MemoryID: "m-1",
                                                       memoryType: "preference", tags: ["food", " food", "drink"])
        try service.createMemoryMetadata(userID: userID, profileID: profileID, mem0MemoryID: "m-2")
        XCTAssertEqual(created.tags.values, ["food", "drink"])
        XCTAssertEqual(try service.memoryMetadata(byProfile: profileID).map(\.mem0MemoryID), ["m-1", "m-2"])
        XCTAssertEqual(try service.allMem0IDs(byProfile: profileID), ["m-1", "m-2"])
        XCTAssertEqual(try service.memoryMetadata(byMem0ID: "m-1")?.id, created.id)
        XCTAssertNil(try service.memoryMetadata(byMem0ID: "m-404"))

        let updated = try service.updateMemoryMetadata(
            id: try XCTUnwrap(created.id),
            changes: .init(profileID: .some(nil), memoryType: "fact", tags: ["travel"]))
        XCTAssertNil(updated.profileID)
        XCTAssertEqual(updated.memoryType, "fact")
        XCTAssertEqual(try service.memoryMetadata(id: try XCTUnwrap(created.id))?.tags.raw, #"["travel"]"#)
        XCTAssertEqual(try service.allMem0IDs(byProfile: profileID), ["m-2"])

        XCTAssertTrue(try service.deleteMemoryMetadata(id: try XCTUnwrap(created.id)))
        XCTAssertFalse(try service.deleteMemoryMetadata(id: try XCTUnwrap(created.id)))
        XCTAssertNil(try service.memoryMetadata(byMem0ID: "m-1"))
    }

    func testDuplicateMem0IDIsRefusedAndNothingIsWritten() throws {
        let userID = try XCTUnwrap(service.createUser(username: "bob").id)
        try service.createMemoryMetadata(userID: userID, profileID: nil, mem0MemoryID: "dup")
        XCTAssertThrowsError(try service.createMemoryMetadata(userID: userID, profileID: nil, mem0MemoryID: "dup")) {
            guard case .constraintViolation = $0 as? StorageError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try service.createMemoryMetadata(userID: userID, profileID: nil, mem0MemoryID: ""))
        XCTAssertEqual(try service.database.read { try MemoryMetadata.fetchCount($0) }, 1)
    }

    func testLinkIsIdempotentAndRefusesAnotherUser() throws {
        let alice = try XCTUnwrap(service.createUser(username: "alice").id)
        let bob = try XCTUnwrap(service.createUser(username: "bob").id)
        let first = try service.linkMem0Memory(userID: alice, profileID: nil, mem0MemoryID: "m-9", tags: ["a"])
        let again = try service.linkMem0Memory(userID: alice, profileID: nil, mem0MemoryID: "m-9", tags: ["b"])
        XCTAssertEqual(first.id, again.id)
        XCTAssertEqual(again.tags.values, ["b"])
        XCTAssertThrowsError(try service.linkMem0Memory(userID: bob, profileID: nil, mem0MemoryID: "m-9"))
        XCTAssertEqual(try service.database.read { try MemoryMetadata.fetchCount($0) }, 1)
    }

    func testUsersProfilesSessionsMessagesAndLogs() throws {
        let user = try service.createUser(username: "carol", displayName: "Carol")
        let userID = try XCTUnwrap(user.id)
        XCTAssertEqual(try service.user(username: "carol")?.id, userID)
        let renamed = try service.updateUser(id: userID, changes: .init(displayName: .some("キャロル")))
        XCTAssertEqual(renamed.displayName, "キャロル")

        let work = try service.createProfile(userID: userID, name: "work")
        let home = try service.createProfile(userID: userID, name: "home", isDefault: true)
        XCTAssertEqual(try service.defaultProfile(ofUser: userID)?.id, home.id)
        XCTAssertEqual(try service.updateProfile(id: try XCTUnwrap(work.id), changes: .init(isDefault: true)).isDefault,
                       true)
        XCTAssertEqual(try service.profiles(ofUser: userID).count, 2)

        let session = try service.createSession(userID: userID, profileID: work.id, title: "Trip")
        let sessionID = try XCTUnwrap(session.id)
        XCTAssertEqual(try service.sessions(ofUser: userID, .first(limit: 10)).rows.map(\.title), ["Trip"])
        let users = try service.users(.first(limit: 10))
        XCTAssertEqual(users.rows.map(\.user.username), ["carol"])
        XCTAssertEqual(users.rows.map(\.profileCount), [2])
        XCTAssertEqual(users.rows.map(\.sessionCount), [1])
        for i in 0..<30 { try service.addMessage(sessionID: sessionID, role: i % 2 == 0 ? "user" : "assistant",
                                                 content: "message \(i)") }
        let recent = try service.recentMessages(ofSession: sessionID, limit: 5)
        XCTAssertEqual(recent.map(\.content), (25..<30).map { "message \($0)" })
        XCTAssertNotNil(try service.endSession(id: sessionID).endedAt)
        try service.logAgentAction(agentName: "chat_agent", action: "reply", details: #"{"ok":true}"#,
                                   sessionID: sessionID, userID: userID)
        XCTAssertEqual(try service.agentLogs(ofSession: sessionID).count, 1)

        try service.createMemoryMetadata(userID: userID, profileID: work.id, mem0MemoryID: "c-1")
        XCTAssertTrue(try service.deleteProfile(id: try XCTUnwrap(work.id)))
        XCTAssertNil(try service.memoryMetadata(byMem0ID: "c-1")?.profileID)
        XCTAssertNil(try service.session(id: sessionID)?.profileID)

        XCTAssertTrue(try service.deleteUser(id: userID))
        try service.database.read { db in
            XCTAssertEqual(try ChatMessage.fetchCount(db), 0)
            XCTAssertEqual(try ChatSession.fetchCount(db), 0)
            XCTAssertEqual(try MemoryMetadata.fetchCount(db), 0)
            XCTAssertEqual(try MemoryProfile.fetchCount(db), 0)
            let log = try XCTUnwrap(AgentLog.fetchOne(db))
            XCTAssertNil(log.userID)
            XCTAssertNil(log.sessionID)
        }
    }

    func testUpdatingAMissingRowSaysSo() {
        XCTAssertThrowsError(try service.updateMemoryMetadata(id: 99, changes: .init(memoryType: "x"))) {
            XCTAssertEqual($0 as? StorageError, .rowNotFound(table: "memories_metadata", id: "99"))
        }
    }

    func testWritesKeepTheRollbackJournalMode() throws {
        try service.createUser(username: "dave")
        XCTAssertEqual(try service.database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "delete")
        XCTAssertFalse(FileManager.default.fileExists(atPath: file + "-wal"))
    }
}
