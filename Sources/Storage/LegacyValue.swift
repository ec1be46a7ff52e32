import Foundation
import GRDB

/// Lenient readers for legacy columns whose stored type does not always match the declared one.
///
/// SQLite stores whatever it is given: a BOOLEAN may hold 0/1, 'true' or NULL; a FLOAT may hold '0.7' or NULL.
/// Records read such columns through these functions only, so the rules live in one place.
public enum LegacyValue {
    /// TEXT as is; numbers as their decimal text; BLOB as UTF-8 (invalid bytes replaced); NULL as nil.
    public static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: return nil
        case .string(let s): return s
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        }
    }

    /// 0/1 (any non-zero number is true), 'true'/'false'/'t'/'f'/'yes'/'no'/'1'/'0' text; NULL and anything else false.
    public static func bool(_ value: DatabaseValue) -> Bool {
        switch value.storage {
        case .int64(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s):
            switch s.trimmingCharacters(in: .whitespaces).lowercased() {
            case "1", "true", "t", "yes", "y": return true
            default: return false
            }
        default: return false
        }
    }

    /// INTEGER, or REAL/TEXT holding a number (truncated toward zero); NULL and other text nil.
    public static func integer(_ value: DatabaseValue) -> Int64? {
        switch value.storage {
        case .int64(let i): return i
        case .double(let d): return d.isFinite && abs(d) < 9.2e18 ? Int64(d) : nil
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            if let i = Int64(t) { return i }
            if let d = Double(t), d.isFinite, abs(d) < 9.2e18 { return Int64(d) }
            return nil
        default: return nil
        }
    }

    /// REAL or INTEGER, or TEXT holding a number; NULL and other text nil.
    public static func double(_ value: DatabaseValue) -> Double? {
        switch value.storage {
        case .int64(let i): return Double(i)
        case .double(let d): return d
        case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }
}
