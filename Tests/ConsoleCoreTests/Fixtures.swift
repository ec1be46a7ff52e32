import Foundation
import Migration
import Testing
@testable import ConsoleCore

/// Data with every script the legacy file carries: CJK, emoji (ZWJ, VS16, flags), right-to-left and combining marks.
enum Fixture {
    static func date(_ text: String) -> Date { ISOTime.date(from: text)! }

    static let status = StatusInfo(filePath: "/data/chat.db", fileState: .legacy, mem0Endpoint: "http://127.0.0.1:8765",
                                   mem0Dialect: "oss")
    static let migratedStatus = StatusInfo(filePath: "/data/chat.db", fileState: .migrated, mem0Endpoint: "http://127.0.0.1:8765",
                                           mem0Dialect: "oss")

    static let users: [UserRow] = [
        UserRow(id: 1, username: "alice", displayName: "Alice Zoe\u{0308}", profiles: 2, sessions: 14, memories: 1234, createdAt: date("2024-01-05T09:15:00Z")),
        UserRow(id: 2, username: "yamada", displayName: "山田太郎", profiles: 1, sessions: 3, memories: 56, createdAt: date("2024-02-11T18:02:33Z")),
        UserRow(id: 3, username: "party", displayName: "🎉 Party 👩‍👩‍👧 ❤️ 🇯🇵", profiles: 0, sessions: 0, memories: 0, createdAt: date("2024-03-01T07:15:00Z")),
        UserRow(id: 4, username: "salma", displayName: "سلمى الحربي", profiles: 1, sessions: 120000, memories: 1000000, createdAt: nil),
    ]

    static func page(_ ids: ClosedRange<Int64>) -> [UserRow] {
        ids.map { UserRow(id: $0, username: "user\($0)", displayName: nil, profiles: 1, sessions: 1, memories: 1, createdAt: date("2024-01-01T00:00:00Z")) }
    }

    static let profiles: [ProfileRow] = [
        ProfileRow(id: 10, name: "default", description: "Everyday assistant", isDefault: true, memories: 1200, createdAt: date("2024-01-05T09:16:00Z")),
        ProfileRow(id: 11, name: "仕事", description: "仕事のメモとプロジェクトの記録", isDefault: false, memories: 34, createdAt: date("2024-01-06T10:00:00Z")),
    ]

    static let sessions: [SessionRow] = [
        SessionRow(id: 100, title: "Trip to 京都 ✈️", profileName: "default", messages: 4, startedAt: date("2024-03-01T09:00:00Z"), endedAt: date("2024-03-01T09:30:00Z")),
        SessionRow(id: 101, title: nil, profileName: nil, messages: 0, startedAt: date("2024-03-02T11:00:00Z"), endedAt: nil),
    ]

    static let messages: [MessageRow] = [
        MessageRow(id: 1000, role: "user", content: "I'm planning a trip to 京都 next spring 🌸. Can you remember that I'm vegetarian?", createdAt: date("2024-03-01T09:00:05Z")),
        MessageRow(id: 1001, role: "assistant", content: "Noted! I'll remember you're vegetarian. مرحبا بك — have a great trip 👩‍👩‍👧.", createdAt: date("2024-03-01T09:00:09Z")),
        MessageRow(id: 1002, role: "system", content: "", createdAt: nil),
    ]

    static let logs: [AgentLogRow] = [
        AgentLogRow(id: 7, level: "ERROR", agent: "memory-agent", action: "store_memory", sessionID: 100,
                    details: #"{"error":"timeout","retry":3,"path":"/v1/memories/","note":"京都 🌸"}"#, createdAt: date("2024-03-01T09:00:10Z")),
        AgentLogRow(id: 8, level: "INFO", agent: "router", action: "route", sessionID: nil, details: "not json {", createdAt: date("2024-03-01T09:00:11Z")),
        AgentLogRow(id: 9, level: "DEBUG", agent: "router", action: "noop", sessionID: nil, details: nil, createdAt: nil),
    ]

    static let memories: [MemoryRow] = [
        MemoryRow(id: 500, profileID: 10, profileName: "default", memoryType: "preference", tags: ["food", "diet"], mem0ID: nil,
                  content: "Is vegetarian; loves 京都 in spring 🌸", createdAt: date("2024-03-01T09:00:12Z")),
        MemoryRow(id: 501, profileID: nil, profileName: nil, memoryType: "fact", tags: [], mem0ID: nil,
                  content: "שלום — speaks Hebrew", createdAt: date("2024-03-02T09:00:00Z")),
    ]

    static let migratedMemories: [MemoryRow] = [
        MemoryRow(id: 500, profileID: 10, profileName: "default", memoryType: "preference", tags: ["food", "diet"],
                  mem0ID: "6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10", content: "Is vegetarian; loves 京都 in spring 🌸", createdAt: date("2024-03-01T09:00:12Z")),
        MemoryRow(id: 502, profileID: 10, profileName: "default", memoryType: "fact", tags: [], mem0ID: nil, content: nil, createdAt: nil),
    ]

    static let legacy = LegacyMemoryValues(
        id: 500, content: "Is vegetarian; loves 京都 in spring 🌸 and wants to see the cherry blossoms at 哲学の道 before they fall.",
        memoryType: "preference", tags: ["food", "diet"], importanceScore: 0.8, mentionedCount: 3, profileID: 10,
        createdAt: date("2024-03-01T09:00:12Z"), updatedAt: date("2024-03-02T10:00:00Z"), source: .memoriesBackup)

    static let record = Mem0MemoryValues(
        id: "6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10",
        text: "Is vegetarian; loves 京都 in spring 🌸 and wants to see the cherry blossoms at 哲学の道 before they fall.",
        memoryType: "preference", tags: ["food"], importanceScore: 0.8, mentionedCount: nil, profileID: 10,
        createdAt: date("2024-03-01T09:00:12Z"), updatedAt: date("2024-03-02T10:00:00Z"))

    static let verification = VerificationResult(
        legacyRows: 1290, linked: 1234, duplicates: 40, rejected: 16, checkedLinks: 1234, sampled: false,
        users: [UserVerification(mem0UserID: "1", legacyUserID: 1, linked: 1178, mem0Count: 1178, checked: 1178, mismatched: 0),
                UserVerification(mem0UserID: "2", legacyUserID: 2, linked: 56, mem0Count: 55, checked: 56, mismatched: 1)],
        mismatches: [VerificationMismatch(kind: .missingMemory, legacyID: 777, mem0ID: "0a0b0c0d-1111-2222-3333-444455556666",
                                          detail: "Mem0 returned 404 for the linked memory")],
        notes: [])

    static let balanced = VerificationResult(
        legacyRows: 100, linked: 90, duplicates: 6, rejected: 4, checkedLinks: 90, sampled: false,
        users: [UserVerification(mem0UserID: "1", legacyUserID: 1, linked: 90, mem0Count: 90, checked: 90, mismatched: 0)],
        mismatches: [], notes: [])

    static let plan = MigrationPlanSummary(legacyRows: 1290, migratable: 1234, rejected: 16, duplicates: 40, orphanProfiles: 2,
                                           users: 2, assumedRate: 85.2, rateSource: "measured ping", estimatedSeconds: 14.5,
                                           rejectedByCode: ["empty_content": 12, "orphan_user": 4])

    static let preflight = PreflightInfo(
        fileState: .legacy, legacyRows: 1290, mem0Endpoint: "http://127.0.0.1:8765", mem0Dialect: "oss",
        pingMilliseconds: 3.4, blocker: nil,
        checks: [.init(label: "the file", passed: true, detail: "legacy, 1290 memories to plan"),
                 .init(label: "file and folder writable", passed: true, detail: "the file and /data can be written"),
                 .init(label: "free space for the backup", passed: true, detail: "5120 MiB free, about 3 MiB needed"),
                 .init(label: "no other writer", passed: true, detail: "no other program holds the write lock"),
                 .init(label: "Mem0 reachable", passed: true, detail: "127.0.0.1:8765, oss, 3 ms"),
                 .init(label: "API key accepted", passed: true, detail: "an authenticated call succeeded")])
}

/// One letter per style, so tests can prove what is highlighted, dimmed or alarming.
enum StyleCode {
    static func letter(_ style: Style) -> Character {
        switch style {
        case .plain: return "."
        case .dim: return "d"
        case .bold: return "b"
        case .selected: return "S"
        case .header: return "H"
        case .hint: return "h"
        case .added: return "+"
        case .removed: return "-"
        case .changed: return "C"
        case .ok: return "o"
        case .warning: return "w"
        case .error: return "E"
        case .accent: return "a"
        }
    }

    /// The styles of row `y`, one letter per cell (continuation cells take their glyph's letter).
    static func row(_ buffer: Buffer, _ y: Int) -> String {
        var out = ""
        var last: Character = "."
        for x in 0..<buffer.width {
            let cell = buffer[x, y]
            if cell.isContinuation { out.append(last); continue }
            last = letter(cell.style); out.append(last)
        }
        return out
    }
}

/// Drives `update` like the run loop does and keeps the effects.
struct Driver {
    var state: AppState
    var effects: [Effect] = []

    init(width: Int = 80, height: Int = 24, status: StatusInfo = Fixture.status) {
        let (s, e) = Console.launch(width: width, height: height, status: status)
        state = s; effects = e
    }

    @discardableResult
    mutating func send(_ message: Message) -> [Effect] {
        let e = update(&state, message)
        effects = e
        return e
    }

    @discardableResult
    mutating func keys(_ keys: Key...) -> [Effect] {
        var all: [Effect] = []
        for k in keys { all += send(.key(k)) }
        effects = all
        return all
    }

    /// Answers the last `loadPage` effect for `id` with rows.
    mutating func answer(_ rows: PageRows, hasMore: Bool = false) {
        guard case .loadPage(let id, let query)? = effects.last(where: { if case .loadPage = $0 { return true }; return false }) else {
            Issue.record("no loadPage effect to answer: \(effects)"); return
        }
        send(.pageLoaded(id, rows, query, hasMore: hasMore))
    }

    func screen(width: Int? = nil, height: Int? = nil) -> Buffer {
        var buffer = Buffer(width: width ?? state.width, height: height ?? state.height)
        render(state, into: &buffer)
        return buffer
    }
}
