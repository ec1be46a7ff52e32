import Foundation
import GRDB

/// The `tags` column as stored, and the list of tags it means.
///
/// Legacy rows hold a JSON array (`["food","preference"]`), an older comma list (`food, preference`), NULL or ''.
/// Decisions for odd values, applied the same everywhere:
/// - each tag is trimmed of whitespace; empty tags are dropped;
/// - duplicates are dropped, keeping the first occurrence (exact, case-sensitive comparison);
/// - non-string JSON elements become their JSON text (`3`, `true`, `{"a":1}`); JSON `null` elements are dropped;
/// - text that starts with `[` but is not valid JSON (`["food", "pref"`) is read as a comma list after removing the
///   brackets and the quotes around each item, and reported as `.malformedJSON` so the migration can flag it;
/// - a JSON string or object that is not an array is a single tag (its text), reported as `.commaList`.
/// The stored text is kept so a row is written back exactly as it was.
public struct LegacyTags: Sendable, Hashable, CustomStringConvertible {
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case null, empty, jsonArray, commaList, malformedJSON
    }

    /// The stored text; nil for NULL.
    public let raw: String?
    /// The tags, cleaned as described above.
    public let values: [String]
    public let format: Format

    public var description: String { values.joined(separator: ", ") }

    /// Decodes stored text (nil for NULL). Never fails.
    public init(raw: String?) {
        self.raw = raw
        guard let raw else { values = []; format = .null; return }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { values = []; format = .empty; return }
        if trimmed.hasPrefix("[") {
            if let array = try? JSONDecoder().decode([JSONTagElement].self, from: Data(trimmed.utf8)) {
                values = LegacyTags.cleaned(array.compactMap(\.tagText))
                format = .jsonArray
            } else {
                var inner = Substring(trimmed.dropFirst())
                if inner.hasSuffix("]") { inner = inner.dropLast() }
                values = LegacyTags.cleaned(inner.split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                })
                format = .malformedJSON
            }
            return
        }
        values = LegacyTags.cleaned(trimmed.split(separator: ",").map(String.init))
        format = .commaList
    }

    /// New tags, stored as a compact JSON array (the legacy app's main format).
    public init(_ tags: [String]) {
        let cleaned = LegacyTags.cleaned(tags)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(cleaned)) ?? Data("[]".utf8)
        raw = String(decoding: data, as: UTF8.self)
        values = cleaned
        format = .jsonArray
    }

    /// The tags as a compact JSON array, whatever the stored format.
    public var jsonArrayText: String { LegacyTags(values).raw ?? "[]" }

    private static func cleaned(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for tag in tags {
            let t = tag.trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.isEmpty, seen.insert(t).inserted { result.append(t) }
        }
        return result
    }
}

extension LegacyTags: DatabaseValueConvertible {
    /// Writes back the stored text unchanged (NULL stays NULL).
    public var databaseValue: DatabaseValue { raw?.databaseValue ?? .null }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> LegacyTags? {
        LegacyTags(raw: LegacyValue.text(dbValue))
    }
}

/// One element of a JSON tags array, whatever its JSON type, turned back into tag text.
private enum JSONTagElement: Decodable {
    case null, bool(Bool), integer(Int64), number(Double), string(String)
    case array([JSONTagElement]), object([String: JSONTagElement])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONTagElement].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONTagElement].self)) }
    }

    /// The tag for this element: strings as they are, other values as compact JSON, `null` as no tag.
    var tagText: String? {
        switch self {
        case .null: return nil
        case .string(let s): return s
        default: return json
        }
    }

    private var json: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        case .string(let s):
            let data = (try? JSONEncoder().encode(s)) ?? Data()
            return String(decoding: data, as: UTF8.self)
        case .array(let a): return "[" + a.map(\.json).joined(separator: ",") + "]"
        case .object(let o):
            return "{" + o.keys.sorted().map { key in
                JSONTagElement.string(key).json + ":" + (o[key]?.json ?? "null")
            }.joined(separator: ",") + "}"
        }
    }
}
