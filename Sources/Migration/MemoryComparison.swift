import Foundation
import Storage
import Mem0Client

/// A legacy row's values, in the form the comparison needs (built from Storage's `LegacyMemory`).
public struct LegacyMemoryValues: Sendable, Equatable {
    public var id: Int64
    public var content: String
    public var memoryType: String?
    public var tags: [String]
    public var importanceScore: Double?
    public var mentionedCount: Int?
    public var profileID: Int64?
    public var createdAt: Date?
    public var updatedAt: Date?
    /// Where the row was read from (the file's `LegacySource`), for the diff's header.
    public var source: LegacySource

    public init(id: Int64, content: String, memoryType: String?, tags: [String], importanceScore: Double?,
                mentionedCount: Int?, profileID: Int64?, createdAt: Date?, updatedAt: Date?,
                source: LegacySource = .memories) {
        self.id = id; self.content = content; self.memoryType = memoryType; self.tags = tags
        self.importanceScore = importanceScore; self.mentionedCount = mentionedCount; self.profileID = profileID
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.source = source
    }
}

/// A Mem0 memory's values as the migration wrote them: text, times, and the `legacy_*` metadata read back.
///
/// A field is nil when the record does not carry it (that shows as `.missing`, not `.different`).
public struct Mem0MemoryValues: Sendable, Equatable {
    public var id: String
    public var text: String
    public var memoryType: String?
    public var tags: [String]?
    public var importanceScore: Double?
    public var mentionedCount: Int?
    public var profileID: Int64?
    public var createdAt: Date?
    /// The legacy `updated_at` the migration stored in metadata (`legacy_updated_at`); Mem0's own `updated_at`
    /// changes whenever Mem0 touches the record, so it cannot carry the legacy value.
    public var updatedAt: Date?

    public init(id: String, text: String, memoryType: String?, tags: [String]?, importanceScore: Double?,
                mentionedCount: Int?, profileID: Int64?, createdAt: Date?, updatedAt: Date?) {
        self.id = id; self.text = text; self.memoryType = memoryType; self.tags = tags
        self.importanceScore = importanceScore; self.mentionedCount = mentionedCount; self.profileID = profileID
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

/// Legacy row versus Mem0 record, field by field: the diff screen and verification both read this.
///
/// A pure function of its two inputs. Text is compared byte for byte (no normalisation: the migration promises the
/// exact content); times to the second (the Platform's `timestamp` has whole seconds); importance to 1e-9.
public struct MemoryComparison: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable, Codable {
        case text, memoryType = "memory_type", tags, importance = "importance_score",
             mentionCount = "mentioned_count", profile = "profile_id", createdAt = "created_at",
             updatedAt = "updated_at"
    }

    public enum Outcome: String, Sendable, Equatable, Codable {
        /// Same value on both sides.
        case equal
        /// Both sides have a value and they differ.
        case different
        /// The Mem0 side has no value for it (or there is no Mem0 record at all).
        case missing
    }

    public struct Line: Sendable, Equatable {
        public var field: Field
        public var legacyValue: String
        public var mem0Value: String?
        public var outcome: Outcome
    }

    public var legacyID: Int64
    public var mem0ID: String?
    public var lines: [Line]

    /// There is a Mem0 record and text and created time match: what verification requires.
    public var isFaithful: Bool {
        mem0ID != nil && outcome(of: .text) == .equal && outcome(of: .createdAt) == .equal
    }
    /// Every field is equal.
    public var isIdentical: Bool { lines.allSatisfy { $0.outcome == .equal } }

    public func outcome(of field: Field) -> Outcome {
        lines.first { $0.field == field }?.outcome ?? .missing
    }

    public init(legacy: LegacyMemoryValues, record: Mem0MemoryValues?) {
        legacyID = legacy.id
        mem0ID = record?.id
        let show = ValueText.self
        lines = [
            Self.line(.text, legacy.content, record?.text, equal: { Array($0.utf8) == Array($1.utf8) }, show: { $0 }),
            Self.line(.memoryType, legacy.memoryType, record?.memoryType, show: { $0 }),
            Self.line(.tags, legacy.tags, record?.tags, show: show.tags),
            Self.line(.importance, legacy.importanceScore, record?.importanceScore,
                      equal: { abs($0 - $1) < 1e-9 }, show: show.number),
            Self.line(.mentionCount, legacy.mentionedCount, record?.mentionedCount, show: String.init),
            Self.line(.profile, legacy.profileID, record?.profileID, show: { String($0) }),
            Self.line(.createdAt, legacy.createdAt, record?.createdAt, equal: show.sameSecond, show: show.date),
            Self.line(.updatedAt, legacy.updatedAt, record?.updatedAt, equal: show.sameSecond, show: show.date),
        ]
    }

    /// A field whose legacy side may itself be absent (NULL): NULL versus absent is `.equal`.
    private static func line<T: Equatable>(_ field: Field, _ legacy: T?, _ mem0: T?,
                                           equal: (T, T) -> Bool = { $0 == $1 },
                                           show: (T) -> String) -> Line {
        let legacyText = legacy.map(show) ?? "NULL"
        switch (legacy, mem0) {
        case (nil, nil): return Line(field: field, legacyValue: legacyText, mem0Value: nil, outcome: .equal)
        case (_, nil): return Line(field: field, legacyValue: legacyText, mem0Value: nil, outcome: .missing)
        case (nil, let m?): return Line(field: field, legacyValue: legacyText, mem0Value: show(m), outcome: .different)
        case (let l?, let m?):
            return Line(field: field, legacyValue: legacyText, mem0Value: show(m), outcome: equal(l, m) ? .equal : .different)
        }
    }
}

/// How values are shown on both sides of a comparison, so the diff screen and the CLI agree.
enum ValueText {
    static func tags(_ tags: [String]) -> String { "[" + tags.joined(separator: ", ") + "]" }
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(format: "%.1f", value) : String(value)
    }
    static func date(_ date: Date) -> String { ISOTime.string(from: date) }
    static func sameSecond(_ a: Date, _ b: Date) -> Bool {
        floor(a.timeIntervalSince1970) == floor(b.timeIntervalSince1970)
    }
}

/// ISO 8601 with microseconds and an explicit `+00:00`, the form the OSS server itself writes (and Python's
/// `datetime.fromisoformat` reads), used for `metadata.created_at`, `legacy_updated_at` and the journal's times.
/// One implementation with the client's `Mem0Timestamp`, so what is sent and what is compared cannot drift apart.
public enum ISOTime {
    public static func string(from date: Date) -> String { Mem0Timestamp.format(date) }

    /// Reads ISO 8601 with or without fraction and with `Z`, an offset or none (what either Mem0 dialect returns).
    public static func date(from text: String) -> Date? { Mem0Timestamp.parse(text) }
}
