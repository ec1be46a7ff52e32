import Foundation

/// Turns response bodies into values. Pure: every documented body shape is unit-tested.
enum Mem0Decoding {
    static func json(_ body: Data) throws(Mem0Error) -> JSONValue {
        do { return try JSONValue.parse(body) } catch {
            throw .badResponse(reason: "the body is not JSON: \(snippet(body))")
        }
    }

    /// A memory object of either dialect (Platform A.5/A.14, OSS B.5/B.11).
    static func memory(_ value: JSONValue) throws(Mem0Error) -> Mem0Memory {
        guard case .object(let fields) = value else { throw .badResponse(reason: "a memory is not an object") }
        guard let id = fields["id"]?.stringValue else { throw .badResponse(reason: "a memory has no id") }
        let text = fields["memory"]?.stringValue ?? fields["data"]?["memory"]?.stringValue ?? ""
        return Mem0Memory(id: id, text: text, userID: fields["user_id"]?.stringValue,
                          runID: fields["run_id"]?.stringValue ?? fields["session_id"]?.stringValue,
                          metadata: fields["metadata"]?.objectValue ?? [:],
                          createdAtText: fields["created_at"]?.stringValue,
                          updatedAtText: fields["updated_at"]?.stringValue)
    }

    /// A search result of either dialect: a memory object plus `score` (Platform A.13, OSS B.11).
    static func searchHit(_ value: JSONValue) throws(Mem0Error) -> Mem0SearchHit {
        Mem0SearchHit(memory: try memory(value), score: value["score"]?.doubleValue)
    }

    /// A history answer of either dialect: a bare array of entries (Platform A.10, OSS B.9).
    static func history(_ value: JSONValue) throws(Mem0Error) -> [Mem0HistoryEvent] {
        guard let entries = value.arrayValue else { throw .badResponse(reason: "the history is not a list") }
        var events: [Mem0HistoryEvent] = []
        for entry in entries {
            guard let id = entry["id"]?.stringValue, let memoryID = entry["memory_id"]?.stringValue else {
                throw .badResponse(reason: "a history entry has no id or memory_id")
            }
            events.append(Mem0HistoryEvent(id: id, memoryID: memoryID, eventName: entry["event"]?.stringValue ?? "",
                                           oldText: entry["old_memory"]?.stringValue,
                                           newText: entry["new_memory"]?.stringValue,
                                           createdAtText: entry["created_at"]?.stringValue,
                                           updatedAtText: entry["updated_at"]?.stringValue))
        }
        return events
    }

    /// `{"results":[…]}` (both add responses, OSS list and search, Platform list pages).
    static func results(_ value: JSONValue) throws(Mem0Error) -> [JSONValue] {
        guard let results = value["results"]?.arrayValue else {
            throw .badResponse(reason: "no \"results\" list in the answer")
        }
        return results
    }

    static func addResult(_ value: JSONValue) throws(Mem0Error) -> Mem0AddResult {
        if let status = value["status"]?.stringValue, status == "FAILED" {
            throw .server(status: 200, code: "FAILED", message: value["message"]?.stringValue ?? value["error"]?.stringValue)
        }
        let status = value["status"]?.stringValue
        if let eventID = value["event_id"]?.stringValue, status == "PENDING" || status == "RUNNING",
           value["results"]?.arrayValue?.isEmpty ?? true {
            // The API description allows a queued answer even with infer=false (mem0-api.md A.3, A.4).
            return .pending(eventID: eventID)
        }
        guard let results = value["results"]?.arrayValue else {
            throw .badResponse(reason: "the add answer has no results (status \(status ?? "none"))")
        }
        let ids = results.compactMap { $0["id"]?.stringValue }
        guard ids.count == results.count else { throw .badResponse(reason: "an add result has no id") }
        return ids.isEmpty ? .deduplicated : .created(ids: ids)
    }

    /// `GET /v1/event/{id}/` (A.4). The element shape of `results` is not specified; ids are read from `id` (or
    /// `memory_id`) of each element, as in the add answer.
    static func event(_ value: JSONValue, id: String) throws(Mem0Error) -> Mem0Event {
        guard let raw = value["status"]?.stringValue, let status = Mem0Event.Status(rawValue: raw.uppercased()) else {
            throw .badResponse(reason: "the event has no known status")
        }
        let ids = (value["results"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue ?? $0["memory_id"]?.stringValue }
        let error = value["error"]?.stringValue ?? value["error"].flatMap { $0.isNull ? nil : $0.serialized() }
        return Mem0Event(id: value["id"]?.stringValue ?? id, status: status, memoryIDs: ids, error: error)
    }

    /// Maps a non-success status to an error, reading `detail | error | message | details.message` (A.15, B.13).
    static func error(status: Int, headers: [String: String], body: Data, now: Date = Date()) -> Mem0Error {
        switch status {
        case 401: return .unauthorized
        case 429: return .rateLimited(retryAfter: headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) })
        default:
            let parsed = try? JSONValue.parse(body)
            return .server(status: status, code: parsed?["code"]?.stringValue, message: message(in: parsed, raw: body))
        }
    }

    static func message(in value: JSONValue?, raw: Data) -> String? {
        guard let value else {
            let text = snippet(raw)
            return text.isEmpty ? nil : text
        }
        if let detail = value["detail"] {
            if let text = detail.stringValue { return clip(text) }
            if let items = detail.arrayValue {  // FastAPI 422: [{loc, msg, …}]
                let parts = items.compactMap { item -> String? in
                    guard let msg = item["msg"]?.stringValue else { return nil }
                    let location = item["loc"]?.arrayValue?.map { $0.stringValue ?? $0.serialized() }.joined(separator: ".")
                    return location.map { "\($0): \(msg)" } ?? msg
                }
                if !parts.isEmpty { return clip(parts.joined(separator: "; ")) }
            }
        }
        if let nested = value["details"]?["message"]?.stringValue { return clip(nested) }
        if let text = value["error"]?.stringValue { return clip(text) }
        if let text = value["message"]?.stringValue { return clip(text) }
        return nil
    }

    static func snippet(_ body: Data) -> String {
        clip(String(decoding: body.prefix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func clip(_ text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\n", with: " ")
        return oneLine.count > 300 ? String(oneLine.prefix(300)) + "…" : oneLine
    }
}
