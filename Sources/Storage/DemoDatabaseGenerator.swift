import Foundation
import GRDB

/// Writes a deterministic legacy database that carries every quirk real phase-1 files have.
///
/// The same options give the same rows (a `SeededGenerator`, no clock, no hash-ordered collections). The first
/// rows of each table are a fixed catalogue of the messes `schema/legacy.sql` describes (see `DemoDatabaseGenerator.
/// catalogue` and docs/database_schema.md); the rest are generated. Speed: one transaction, prepared statements
/// reused, `journal_mode=OFF` and `synchronous=OFF` while writing; the finished file is left in the DELETE journal
/// mode the Python app uses. The file is written next to the target and renamed over it at the end, so a failed or
/// interrupted run never leaves a half-written database at `path`.
public enum DemoDatabaseGenerator {
    public struct Options: Sendable, Hashable {
        public var users: Int
        public var memories: Int
        public var messages: Int
        public var seed: UInt64

        public init(users: Int = 50, memories: Int = 2_000, messages: Int = 20_000, seed: UInt64 = 1) {
            self.users = users; self.memories = memories; self.messages = messages; self.seed = seed
        }

        /// Sessions carry about 40 messages each.
        public var sessions: Int { messages == 0 ? 0 : max(1, messages / 40) }
        /// One agent log per ten messages, at least 12 (the catalogue).
        public var agentLogs: Int { max(12, messages / 10) }
    }

    /// Row counts of what was written.
    public struct Summary: Sendable, Hashable {
        public var users = 0, profiles = 0, memories = 0, sessions = 0, messages = 0, agentLogs = 0
        public init() {}
    }

    /// Generates the database at `path`. Refuses an existing file unless `overwrite`.
    @discardableResult
    public static func write(to path: String, options: Options, overwrite: Bool = false) throws(StorageError)
        -> Summary {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw .isDirectory(path: path) }
            if !overwrite { throw .fileExists(path: path) }
            if !FileAccess.isWritable(path: path) { throw .readOnly(path: path) }
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .cannotCreate(path: path, reason: "the folder \(folder) does not exist")
        }
        guard FileAccess.isWritable(path: folder) else {
            throw .cannotCreate(path: path, reason: "the folder \(folder) is not writable")
        }
        let partial = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.removeItem(atPath: partial)
        defer { try? FileManager.default.removeItem(atPath: partial) }
        let summary: Summary
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = false
            let queue = try DatabaseQueue(path: partial, configuration: configuration)
            summary = try queue.inDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
                var writer = RowWriter(options: options)
                try db.inTransaction {
                    try StorageSchema.createLegacySchema(in: db)
                    try writer.writeAll(db)
                    return .commit
                }
                try db.execute(sql: "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;")
                return writer.summary
            }
            try queue.close()
        } catch let error as DatabaseError {
            throw StorageError(error, path: path)
        } catch {
            throw .sqlite(path: path, message: "\(error)")
        }
        // rename(2) replaces the target atomically: readers see the old file or the complete new one.
        guard rename(partial, path) == 0 else {
            throw .cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        return summary
    }

    /// The fixed rows at the start of `memories`: one per legacy mess. Tests and docs refer to them by index.
    public static let catalogue: [(mess: String, content: String)] = [
        ("empty content", ""),
        ("whitespace-only content", "   \n\t  "),
        ("40 KB content", String(repeating: "Remembers the long story about the 1998 road trip across Norway. ",
                                 count: 630)),
        ("CJK text", "我喜欢吃寿司，尤其是三文鱼。東京の夏はとても暑い。한국 음식을 좋아해요."),
        ("emoji, ZWJ sequences and flags", "Loves 🍣 and 🏔️ hiking with family 👨‍👩‍👧‍👦 🇯🇵 ❤️"),
        ("right-to-left text (Arabic, Hebrew)", "يحب القهوة العربية في الصباح — אוהב קפה שחור"),
        ("combining characters (decomposed)", "Cafe\u{301} au lait with Zoe\u{308} and an\u{303}o nuevo"),
        ("SQL-looking text", "Robert'); DROP TABLE users;-- said his name was \"little Bobby\" 50% of the time"),
        ("multi-line text", "Shopping list:\n- oat milk\n- rye bread\r\n- 2 lemons\n\nDon't forget!"),
        ("tags as a comma list", "Prefers window seats on long flights."),
        ("tags NULL", "Has a cat named Miso."),
        ("tags empty string", "Works night shifts on weekends."),
        ("odd tags: whitespace, duplicates, non-string JSON elements", "Allergic to peanuts."),
        ("odd tags: unbalanced JSON", "Planning a trip to Kyoto in April."),
        ("date without fraction", "Birthday is on the 3rd of May."),
        ("ISO 8601 date with +02:00 offset", "Moved to Berlin in 2021."),
        ("ISO 8601 date with Z", "Runs 10 km every Sunday."),
        ("orphan: user does not exist", "A memory whose user was deleted without cascade."),
        ("orphan: profile does not exist", "A memory pointing at a deleted profile."),
        ("duplicate (1 of 3): same user, profile and content", "Drinks green tea, no sugar."),
        ("duplicate (2 of 3)", "Drinks green tea, no sugar."),
        ("duplicate (3 of 3)", "Drinks green tea, no sugar."),
        ("NULL importance_score and mentioned_count", "Speaks Portuguese and some Swahili."),
        ("NULL memory_type", "Prefers e-mail over phone calls."),
    ]
}

/// Generates and inserts the rows; holds the generator state so the order of draws is fixed.
private struct RowWriter {
    let options: DemoDatabaseGenerator.Options
    var random: SeededGenerator
    var summary = DemoDatabaseGenerator.Summary()
    /// Profile ids of each user (index = user id - 1), in creation order.
    var profilesOfUser: [[Int64]] = []

    init(options: DemoDatabaseGenerator.Options) {
        self.options = options
        random = SeededGenerator(seed: options.seed)
    }

    mutating func writeAll(_ db: Database) throws {
        try writeUsersAndProfiles(db)
        try writeMemories(db)
        try writeSessionsAndMessages(db)
        try writeAgentLogs(db)
    }

    // MARK: Users and profiles

    static let people = [
        ("alice", "Alice Martin"), ("bjorn", "Bjørn Ødegård"), ("xiaolong", "李小龙"), ("hanako", "佐藤 花子"),
        ("mohammed", "محمد علي"), ("dana", "דנה כהן"), ("jose", "José Núñez"), ("zoe", "Zoë 🌸"),
        ("ngozi", "Ngozi Okafor"), ("ivan", "Иван Петров"), ("minji", "김민지"), ("priya", "प्रिया शर्मा"),
        ("oliver", "Oliver O'Brien"), ("lea", "Léa Dubois"), ("kofi", "Kofi Mensah"), ("sven", "Sven Åström"),
    ]
    static let profileNames = ["work", "travel", "health", "family", "cooking"]

    mutating func writeUsersAndProfiles(_ db: Database) throws {
        let users = try db.makeStatement(sql: """
            INSERT INTO users (id, username, email, display_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            """)
        let profiles = try db.makeStatement(sql: """
            INSERT INTO memory_profiles (user_id, name, description, is_default, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        var profileID: Int64 = 0
        for index in 0..<options.users {
            let userID = Int64(index + 1)
            let (slug, name) = Self.people[index % Self.people.count]
            let username = "\(slug)\(index + 1)"
            let email: String? = index % 7 == 3 ? nil : "\(username)@example.org"
            let display: String? = index % 11 == 5 ? nil : name
            let created = date(at: Double(index) / Double(max(options.users, 1)) * 0.2, forcing: nil)
            users.setUncheckedArguments([userID, username, email, display, created, created])
            try users.execute()
            summary.users += 1
            var ids: [Int64] = []
            let extra = random.below(3)
            for p in 0...extra {
                let profileName = p == 0 ? "default" : Self.profileNames[(index + p) % Self.profileNames.count]
                let description: String? = p == 0 ? "Everything by default" : (random.chance(50) ? nil : "Notes about \(profileName)")
                profiles.setUncheckedArguments([userID, profileName, description, p == 0 ? 1 : 0, created, created])
                try profiles.execute()
                profileID += 1
                ids.append(profileID)
                summary.profiles += 1
            }
            profilesOfUser.append(ids)
        }
    }

    // MARK: Memories

    static let memoryTypes = ["fact", "preference", "event", "relationship", "fact", "preference", "goal"]
    static let tagWords = ["food", "travel", "family", "work", "health", "music", "sport", "pets", "books", "tech"]

    mutating func writeMemories(_ db: Database) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO memories (user_id, memory_profile_id, content, importance_score, mentioned_count, memory_type,
                                  tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        guard options.users > 0 else { return }
        let catalogue = DemoDatabaseGenerator.catalogue
        for index in 0..<options.memories {
            let position = Double(index) / Double(max(options.memories, 1))
            let userIndex = random.below(options.users)
            var userID = Int64(userIndex + 1)
            let ownProfiles = profilesOfUser[userIndex]
            var profileID: Int64? = random.chance(10) ? nil : random.pick(ownProfiles)
            var content: String
            var score: Double? = (random.unit() * 100).rounded() / 100
            var count: Int64? = Int64(1 + random.below(20))
            var type: String? = random.pick(Self.memoryTypes)
            var tags: String? = jsonTags()
            var dateFormat: LegacyDate.Format? = nil
            if index < catalogue.count {
                let mess = catalogue[index].mess
                content = catalogue[index].content
                userID = 1
                profileID = profilesOfUser[0][0]
                switch mess {
                case "tags as a comma list": tags = "food, preference ,travel"
                case "tags NULL": tags = nil
                case "tags empty string": tags = ""
                case "odd tags: whitespace, duplicates, non-string JSON elements":
                    tags = #"[" food ", "food", "", 3, true, null, "Food", {"a": 1}]"#
                case "odd tags: unbalanced JSON": tags = #"["travel", "japan""#
                case "date without fraction": dateFormat = .sqlWithoutFraction
                case "ISO 8601 date with +02:00 offset", "ISO 8601 date with Z": dateFormat = .iso8601
                case "orphan: user does not exist": userID = Int64(options.users + 1_000); profileID = nil
                case "orphan: profile does not exist": profileID = 999_999
                case "NULL importance_score and mentioned_count": score = nil; count = nil
                case "NULL memory_type": type = nil
                case _ where mess.hasPrefix("duplicate"): score = 0.8; count = 3; type = "preference"
                    tags = #"["food","drink"]"#
                default: dateFormat = .sqlWithFraction
                }
            } else {
                content = sentence(words: 5 + random.below(14))
                if random.chance(2) { score = nil }
                if random.chance(2) { count = nil }
            }
            let created: String
            switch catalogue.indices.contains(index) ? catalogue[index].mess : "" {
            case "ISO 8601 date with +02:00 offset": created = "2024-03-01T09:15:00+02:00"
            case "ISO 8601 date with Z": created = "2024-03-01T07:15:00Z"
            default: created = date(at: 0.1 + position * 0.85, forcing: dateFormat)
            }
            let updated = random.chance(80) ? created : date(at: 0.1 + position * 0.85 + 0.02, forcing: dateFormat)
            statement.setUncheckedArguments([userID, profileID, content, score, count, type, tags, created, updated])
            try statement.execute()
            summary.memories += 1
        }
    }

    mutating func jsonTags() -> String? {
        switch random.below(20) {
        case 0: return nil
        case 1: return ""
        case 2, 3:
            let a = random.pick(Self.tagWords), b = random.pick(Self.tagWords)
            return "\(a), \(b)"
        default:
            let count = random.below(4)
            var text = "["
            for k in 0..<count {
                if k > 0 { text += random.chance(50) ? ", " : "," }
                text += "\"" + random.pick(Self.tagWords) + "\""
            }
            return text + "]"
        }
    }

    // MARK: Sessions and messages

    static let titles: [String?] = [
        "Planning the week", nil, "Recipe ideas", "旅行の計画", "Birthday gift for mum", "مساعدة في الواجب",
        "Debugging my bike 🚲", "", "Book club notes", "Job interview prep", "'); DROP TABLE chat_sessions;--",
    ]

    mutating func writeSessionsAndMessages(_ db: Database) throws {
        let sessions = try db.makeStatement(sql: """
            INSERT INTO chat_sessions (user_id, memory_profile_id, title, started_at, ended_at) VALUES (?, ?, ?, ?, ?)
            """)
        let messages = try db.makeStatement(sql: """
            INSERT INTO chat_messages (session_id, role, content, created_at) VALUES (?, ?, ?, ?)
            """)
        let sessionCount = options.users > 0 ? options.sessions : 0
        guard sessionCount > 0 else { return }
        for index in 0..<sessionCount {
            let userIndex = random.below(options.users)
            let profileID: Int64? = random.chance(15) ? nil : random.pick(profilesOfUser[userIndex])
            let started = date(at: 0.1 + Double(index) / Double(sessionCount) * 0.85, forcing: nil)
            let ended: String? = random.chance(20) ? nil : started
            sessions.setUncheckedArguments([Int64(userIndex + 1), profileID, random.pick(Self.titles), started, ended])
            try sessions.execute()
            summary.sessions += 1
        }
        let specials = [
            "", "   ", "こんにちは！今日は何を手伝いましょうか？", "שלום, מה שלומך?", "👍🏽👍🏽 thanks!!",
            "Robert'); DROP TABLE users;--", "Line one\nLine two\n\nLine four",
        ]
        for index in 0..<options.messages {
            var sessionID = Int64(1 + index * sessionCount / max(options.messages, 1))
            if index % 5_000 == 4_999 || index == options.messages / 2 {
                sessionID = Int64(sessionCount + 10_000)   // orphan: a session that does not exist
            }
            let role = index % 23 == 0 ? "system" : (index % 2 == 0 ? "user" : "assistant")
            let content = index < specials.count ? specials[index] : sentence(words: 4 + random.below(24))
            let created = date(at: 0.1 + Double(index) / Double(options.messages) * 0.85, forcing: nil)
            messages.setUncheckedArguments([sessionID, role, content, created])
            try messages.execute()
            summary.messages += 1
        }
    }

    // MARK: Agent logs

    static let agents = ["memory_agent", "chat_agent", "retrieval_agent", "summariser"]
    static let actions = ["retrieve_memories", "store_memory", "generate_reply", "summarise_session", "update_profile"]
    static let levels = ["INFO", "INFO", "INFO", "DEBUG", "WARNING", "ERROR"]

    mutating func writeAgentLogs(_ db: Database) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO agent_logs (session_id, user_id, agent_name, action, level, details, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        let sessionCount = Int64(summary.sessions)
        let count = options.agentLogs
        for index in 0..<count {
            var sessionID: Int64? = sessionCount > 0 ? Int64(1 + random.below(Int(sessionCount))) : nil
            var userID: Int64? = options.users > 0 ? Int64(1 + random.below(options.users)) : nil
            var details: String? = "{\"latency_ms\": \(random.below(2_000)), \"memories\": \(random.below(8))}"
            switch index {
            case 0: sessionID = nil                                  // NULL session
            case 1: userID = nil                                     // NULL user
            case 2: sessionID = nil; userID = nil
            case 3: details = nil                                    // NULL details
            case 4: details = "{\"latency_ms\": 12, \"error\": "     // broken JSON
            case 5: details = "not json at all"
            case 6: details = "{\"query\": \"寿司 🍣\", \"nested\": {\"ids\": [1, 2, 3]}}"
            case 7: sessionID = sessionCount + 10_000                // orphan session
            case 8: userID = Int64(options.users + 1_000)            // orphan user
            default:
                if random.chance(5) { details = nil }
                if random.chance(3) { sessionID = nil }
            }
            let created = date(at: 0.1 + Double(index) / Double(count) * 0.85, forcing: nil)
            statement.setUncheckedArguments([sessionID, userID, random.pick(Self.agents), random.pick(Self.actions),
                                             random.pick(Self.levels), details, created])
            try statement.execute()
            summary.agentLogs += 1
        }
    }

    // MARK: Text and dates

    static let words = [
        "likes", "coffee", "in", "the", "morning", "and", "prefers", "quiet", "restaurants", "near", "home",
        "remember", "to", "ask", "about", "her", "sister's", "wedding", "next", "month", "allergic", "shellfish",
        "plays", "piano", "on", "weekends", "learning", "Japanese", "寿司", "が", "好き", "です", "🍜", "🎹",
        "القهوة", "שלום", "café", "naïve", "über", "straße", "moving", "Berlin", "soon", "budget", "€200", "100%",
        "O'Reilly", "\"quoted\"", "semi;colon", "under_score", "back\\slash",
    ]

    mutating func sentence(words count: Int) -> String {
        var text = ""
        text.reserveCapacity(count * 8)
        for k in 0..<count {
            if k > 0 { text += " " }
            text += random.pick(Self.words)
        }
        return text + "."
    }

    static let start = 1_672_531_200.0   // 2023-01-01 00:00:00 UTC
    static let span = 2 * 365 * 86_400.0
    static let offsets = [("+00:00", 0), ("Z", 0), ("+02:00", 7_200), ("-05:00", -18_000), ("+05:30", 19_800)]

    /// A date at `position` (0...1) of the two demo years plus jitter, in one of the three legacy formats
    /// (75 % with fraction, 17 % without, 8 % ISO 8601 with an offset) unless `forcing` says which.
    mutating func date(at position: Double, forcing format: LegacyDate.Format?) -> String {
        let jitter = random.unit() * 3_600
        let micros = Double(random.below(1_000_000)) / 1_000_000
        let seconds = (Self.start + min(max(position, 0), 1) * Self.span + jitter).rounded(.down)
        let roll = random.below(100)
        let chosen = format ?? (roll < 75 ? .sqlWithFraction : roll < 92 ? .sqlWithoutFraction : .iso8601)
        switch chosen {
        case .sqlWithoutFraction:
            return String(LegacyDate.sqlAlchemyText(for: Date(timeIntervalSince1970: seconds)).prefix(19))
        case .iso8601:
            let (suffix, offset) = random.pick(Self.offsets)
            var text = LegacyDate.sqlAlchemyText(for: Date(timeIntervalSince1970: seconds + Double(offset)))
            text = String(text.prefix(19))
            return text.replacingOccurrences(of: " ", with: "T") + suffix
        default:
            return LegacyDate.sqlAlchemyText(for: Date(timeIntervalSince1970: seconds + micros))
        }
    }
}
