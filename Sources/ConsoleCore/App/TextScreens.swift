import Foundation

/// One laid-out line of a scrolling text screen.
public struct TextLine: Equatable, Sendable {
    public var text: String
    public var style: Style
    /// The message a transcript line belongs to (keeps the view still when pages come and go).
    public var sourceID: Int64
    public init(_ text: String, _ style: Style, sourceID: Int64 = 0) { self.text = text; self.style = style; self.sourceID = sourceID }
}

/// A session's messages as a readable transcript: a role label with the time, the content wrapped and indented, a
/// blank line between messages.
public enum TranscriptLayout {
    public static func lines(_ messages: [MessageRow], width: Int) -> [TextLine] {
        var out: [TextLine] = []
        for message in messages {
            let role = message.role.isEmpty ? "?" : message.role
            out.append(TextLine("▌\(role) · \(DateText.full(message.createdAt))", style(forRole: role), sourceID: message.id))
            let content = message.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "(empty message)" : message.content
            for line in TextLayout.wrap(content, width: max(1, width - 2)) {
                out.append(TextLine("  " + line, .plain, sourceID: message.id))
            }
            out.append(TextLine("", .plain, sourceID: message.id))
        }
        return out
    }

    static func style(forRole role: String) -> Style {
        switch role.lowercased() {
        case "user": return .accent
        case "assistant": return .ok
        case "system": return .warning
        default: return .bold
        }
    }
}

/// An agent log entry: its fields, then `details` pretty-printed when it is JSON, or as stored with a note.
public enum LogDetailLayout {
    public static func lines(_ log: AgentLogRow, width: Int) -> [TextLine] {
        var out: [TextLine] = [
            TextLine("level    \(log.level)", LevelStyle.of(log.level)),
            TextLine("agent    \(log.agent)", .plain),
            TextLine("action   \(log.action)", .plain),
            TextLine("session  \(log.sessionID.map { "#\($0)" } ?? "—")", .plain),
            TextLine("time     \(DateText.full(log.createdAt))", .plain),
            TextLine("", .plain),
        ]
        switch PrettyJSON.format(log.details) {
        case .none:
            out.append(TextLine("details: none", .dim))
        case .json(let text):
            out.append(TextLine("details (JSON, keys sorted):", .bold))
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let indent = line.prefix { $0 == " " }
                for (i, piece) in TextLayout.wrap(String(line.dropFirst(indent.count)), width: max(1, width - indent.count - 2)).enumerated() {
                    out.append(TextLine(String(indent) + (i == 0 ? "" : "  ") + piece, .plain))
                }
            }
        case .raw(let text):
            out.append(TextLine("details (not valid JSON; shown as stored):", .warning))
            for line in TextLayout.wrap(text, width: width) { out.append(TextLine(line, .plain)) }
        }
        return out
    }
}

/// Pretty-printing `details` in the core: Foundation's JSONSerialization is pure (no I/O, no clock).
public enum PrettyJSON {
    public enum Result: Equatable, Sendable { case none, json(String), raw(String) }

    public static func format(_ text: String?) -> Result {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .none }
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let pretty = try? JSONSerialization.data(withJSONObject: object,
                                                        options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]),
              let string = String(data: pretty, encoding: .utf8)
        else { return .raw(text) }
        return .json(string)
    }
}

/// Log levels in colour: errors red, warnings yellow, debug dim.
public enum LevelStyle {
    public static func of(_ level: String) -> Style {
        switch level.uppercased() {
        case "ERROR", "CRITICAL", "FATAL": return .error
        case "WARNING", "WARN": return .warning
        case "DEBUG", "TRACE": return .dim
        default: return .ok
        }
    }
}
