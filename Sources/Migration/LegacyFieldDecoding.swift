import Foundation

/// The legacy date and tag rules, kept behind one name so the migration decodes exactly as Storage does.
///
/// Storage's `LegacyDate`/`LegacyTags` are the owners of these rules; this forwards to them once they exist.
enum LegacyFieldDecoding {
    static func date(_ raw: String?) -> Date? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if raw.contains("T") { return ISOTime.date(from: raw) }
        let pattern = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?$/
        guard let m = raw.wholeMatch(of: pattern) else { return nil }
        var c = DateComponents()
        c.year = Int(m.1); c.month = Int(m.2); c.day = Int(m.3); c.hour = Int(m.4); c.minute = Int(m.5)
        c.second = Int(m.6)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard c.isValidDate(in: calendar), let base = calendar.date(from: c) else { return nil }
        let fraction = m.7.flatMap { Double("0" + $0) } ?? 0
        return base.addingTimeInterval(fraction)
    }

    static func tags(_ raw: String?) -> [String] {
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        if raw.hasPrefix("["), let list = try? JSONDecoder().decode([String].self, from: Data(raw.utf8)) {
            return list.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
