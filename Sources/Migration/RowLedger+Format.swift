import Foundation

extension RowLedger {
    /// The ledger's file formats. Both end with one totals line; CSV starts with a header line.
    public enum Format: String, Sendable, CaseIterable {
        case jsonl, csv

        static let columns = ["record", "legacy_id", "status", "duplicate_of", "code", "reason", "mem0_user_id",
                              "mem0_memory_id", "profile_id", "created_at", "updated_at", "journal_updated_at"]

        /// The first line (CSV only).
        public var header: String? { self == .csv ? Self.columns.joined(separator: ",") : nil }

        public func line(for entry: Entry) -> String {
            let values: [Any?] = ["row", entry.legacyID, entry.status.rawValue, entry.duplicateOf, entry.code,
                                  entry.reason, entry.mem0UserID, entry.mem0MemoryID, entry.profileID, entry.createdAt,
                                  entry.updatedAt, entry.journalUpdatedAt]
            switch self {
            case .jsonl:
                var object: [String: Any] = [:]
                for (key, value) in zip(Self.columns, values) { object[key] = value ?? NSNull() }
                if entry.unconfirmed { object["unconfirmed"] = true }
                return Self.json(object)
            case .csv:
                return values.map { Self.csvField($0.map { "\($0)" } ?? "") }.joined(separator: ",")
            }
        }

        /// The last line: the counts per status and whether they add up to the legacy row count.
        public func line(for totals: Totals) -> String {
            let counts: [(String, Int)] = [("legacy_rows", totals.legacyRows), ("linked", totals.linked),
                                           ("duplicate", totals.duplicate), ("rejected", totals.rejected),
                                           ("failed", totals.failed), ("pending", totals.pending)]
            switch self {
            case .jsonl:
                var object: [String: Any] = ["record": "totals", "balanced": totals.isBalanced]
                for (key, value) in counts { object[key] = value }
                return Self.json(object)
            case .csv:
                // The totals ride in the `reason` column, so the file keeps one shape for spreadsheet tools.
                let text = counts.map { "\($0.0)=\($0.1)" }.joined(separator: " ") + " balanced=\(totals.isBalanced)"
                return ["totals", "", "", "", "", Self.csvField(text), "", "", "", "", "", ""].joined(separator: ",")
            }
        }

        private static func json(_ object: [String: Any]) -> String {
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        }

        /// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
        private static func csvField(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }
}
