import Foundation

/// Display rows: what the composition root builds from Storage records so that no GRDB or Storage type enters the
/// console's state. Each carries the id its keyset page is anchored on.
public protocol PageRow: Equatable, Sendable {
    var id: Int64 { get }
    /// This row type's rows in a loaded page (nil: the page is of another kind).
    static func rows(in page: PageRows) -> [Self]?
}

public struct UserRow: PageRow {
    public var id: Int64
    public var username: String
    public var displayName: String?
    public var profiles: Int
    public var sessions: Int
    public var memories: Int
    public var createdAt: Date?
    public init(id: Int64, username: String, displayName: String?, profiles: Int, sessions: Int, memories: Int, createdAt: Date?) {
        self.id = id; self.username = username; self.displayName = displayName; self.profiles = profiles
        self.sessions = sessions; self.memories = memories; self.createdAt = createdAt
    }
}

public struct ProfileRow: PageRow {
    public var id: Int64
    public var name: String
    public var description: String?
    public var isDefault: Bool
    public var memories: Int
    public var createdAt: Date?
    public init(id: Int64, name: String, description: String?, isDefault: Bool, memories: Int, createdAt: Date?) {
        self.id = id; self.name = name; self.description = description; self.isDefault = isDefault
        self.memories = memories; self.createdAt = createdAt
    }
}

public struct SessionRow: PageRow {
    public var id: Int64
    public var title: String?
    public var profileName: String?
    public var messages: Int
    public var startedAt: Date?
    public var endedAt: Date?
    public init(id: Int64, title: String?, profileName: String?, messages: Int, startedAt: Date?, endedAt: Date?) {
        self.id = id; self.title = title; self.profileName = profileName; self.messages = messages
        self.startedAt = startedAt; self.endedAt = endedAt
    }
}

public struct MessageRow: PageRow {
    public var id: Int64
    public var role: String
    public var content: String
    public var createdAt: Date?
    public init(id: Int64, role: String, content: String, createdAt: Date?) {
        self.id = id; self.role = role; self.content = content; self.createdAt = createdAt
    }
}

public struct AgentLogRow: PageRow {
    public var id: Int64
    public var level: String
    public var agent: String
    public var action: String
    public var sessionID: Int64?
    /// The raw `details` text: JSON as the app wrote it, or anything else.
    public var details: String?
    public var createdAt: Date?
    public init(id: Int64, level: String, agent: String, action: String, sessionID: Int64?, details: String?, createdAt: Date?) {
        self.id = id; self.level = level; self.agent = agent; self.action = action; self.sessionID = sessionID
        self.details = details; self.createdAt = createdAt
    }
}

/// Where a legacy row is in the migration (from the journal): what the Memories list shows in its Mem0 column.
public enum LegacyRowState: Equatable, Sendable {
    case pending, inFlight, linked
    case rejected(String?)
    case duplicate(of: Int64?)
}

/// A memory as the browse list shows it: every legacy row (from the file's legacy source) with its link state while
/// the legacy rows are in the file; the `memories_metadata` rows (content nil: it is in Mem0) once the old table
/// was dropped.
public struct MemoryRow: PageRow {
    public var id: Int64
    public var profileID: Int64?
    public var profileName: String?
    public var memoryType: String?
    public var tags: [String]
    public var mem0ID: String?
    public var content: String?
    public var createdAt: Date?
    /// nil: the file has no journal entry for the row (never migrated, or linked outside a run).
    public var link: LegacyRowState?
    public init(id: Int64, profileID: Int64?, profileName: String?, memoryType: String?, tags: [String], mem0ID: String?,
                content: String?, createdAt: Date?, link: LegacyRowState? = nil) {
        self.id = id; self.profileID = profileID; self.profileName = profileName; self.memoryType = memoryType
        self.tags = tags; self.mem0ID = mem0ID; self.content = content; self.createdAt = createdAt; self.link = link
    }
}

/// A legacy row that verification put in a class other than "linked": rejected (with its reason) or duplicate.
public struct ClassifiedRow: PageRow {
    public var id: Int64
    public var userID: Int64?
    /// The rejection reason, or `duplicate of #N`.
    public var detail: String
    public var content: String
    public init(id: Int64, userID: Int64?, detail: String, content: String) {
        self.id = id; self.userID = userID; self.detail = detail; self.content = content
    }
}

/// The rows of one loaded page, tagged by kind so one message type carries every list.
public enum PageRows: Equatable, Sendable {
    case users([UserRow])
    case profiles([ProfileRow])
    case sessions([SessionRow])
    case messages([MessageRow])
    case agentLogs([AgentLogRow])
    case memories([MemoryRow])
    case classified([ClassifiedRow])
    case metadata([MetadataRow])
}

/// A `memories_metadata` row as the metadata list shows it (tags and dates decoded; `o`-style raw views show them
/// as stored).
public struct MetadataRow: PageRow {
    public var id: Int64
    public var userID: Int64
    public var profileID: Int64?
    public var mem0MemoryID: String
    public var memoryType: String?
    public var tags: [String]
    public var createdAt: Date?
    public var updatedAt: Date?
    public init(id: Int64, userID: Int64, profileID: Int64?, mem0MemoryID: String, memoryType: String?, tags: [String],
                createdAt: Date?, updatedAt: Date?) {
        self.id = id; self.userID = userID; self.profileID = profileID; self.mem0MemoryID = mem0MemoryID
        self.memoryType = memoryType; self.tags = tags; self.createdAt = createdAt; self.updatedAt = updatedAt
    }
    public static func rows(in page: PageRows) -> [MetadataRow]? { if case .metadata(let rows) = page { return rows }; return nil }
}

/// Dates as the console shows them: UTC, to the minute (the full value is in detail views and the diff).
public enum DateText {
    public static func short(_ date: Date?) -> String {
        guard let date else { return "—" }
        return components(date, seconds: false)
    }
    public static func full(_ date: Date?) -> String {
        guard let date else { return "—" }
        return components(date, seconds: true)
    }
    /// The time of day only (UTC, to the second): when the file last changed, on the status line.
    public static func time(_ date: Date) -> String { String(components(date, seconds: true).suffix(8)) }
    private static func components(_ date: Date, seconds: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let base = "\(c.year!)-\(String(format2: c.month!))-\(String(format2: c.day!)) \(String(format2: c.hour!)):\(String(format2: c.minute!))"
        return seconds ? base + ":" + String(format2: c.second!) : base
    }
}

extension UserRow {
    public static func rows(in page: PageRows) -> [UserRow]? { if case .users(let rows) = page { return rows }; return nil }
}

extension ProfileRow {
    public static func rows(in page: PageRows) -> [ProfileRow]? { if case .profiles(let rows) = page { return rows }; return nil }
}

extension SessionRow {
    public static func rows(in page: PageRows) -> [SessionRow]? { if case .sessions(let rows) = page { return rows }; return nil }
}

extension MessageRow {
    public static func rows(in page: PageRows) -> [MessageRow]? { if case .messages(let rows) = page { return rows }; return nil }
}

extension AgentLogRow {
    public static func rows(in page: PageRows) -> [AgentLogRow]? { if case .agentLogs(let rows) = page { return rows }; return nil }
}

extension MemoryRow {
    public static func rows(in page: PageRows) -> [MemoryRow]? { if case .memories(let rows) = page { return rows }; return nil }
}

extension ClassifiedRow {
    public static func rows(in page: PageRows) -> [ClassifiedRow]? { if case .classified(let rows) = page { return rows }; return nil }
}
