import ArgumentParser
import Foundation
import Mem0Client

extension Mem0Command {
    /// `memconsole mem0 search --user ID QUERY`: the console's "search within a user", for scripts and operators.
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search one user's memories, best first, with scores.",
            usage: "memconsole mem0 search --user <id> <query> [<options>]")

        @OptionGroup var mem0: Mem0Options
        @Option(help: ArgumentHelp("The Mem0 user id.", valueName: "id")) var user: String
        @Argument(help: "What to look for.") var query: String
        @Option(help: ArgumentHelp("At most this many results (1-1000).", valueName: "n")) var limit = 20
        @Flag(help: "Print one JSON object ({\"results\": [{id, text, score, metadata, ...}]}).") var json = false

        func validate() throws {
            if user.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--user must not be empty.") }
            if query.isEmpty { throw ValidationError("the query must not be empty.") }
            if !(1...1000).contains(limit) { throw ValidationError("--limit must be between 1 and 1000.") }
        }

        func run() async throws {
            let client = try reportingErrors { try mem0.makeClient(maxConcurrentRequests: 1) }
            let hits = try await reportingErrors { try await client.search(userID: user, query: query, limit: limit) }
            if json {
                let results: [JSONValue] = hits.map { hit in
                    guard case .object(var object) = List.json(Mem0MemoryList(memories: [hit.memory], truncated: false))["memories"]?
                        .arrayValue?.first else { return .null }
                    object["score"] = hit.score.map(JSONValue.double) ?? .null
                    return .object(object)
                }
                print(JSONValue.object(["results": .array(results)]).serialized())
            } else {
                for hit in hits {
                    let score = hit.score.map { String(format: "%.4f", $0) } ?? "-"
                    print("\(score.padding(toLength: 8, withPad: " ", startingAt: 0)) \(hit.memory.id)  \(clipped(hit.memory.text))")
                }
                print("\(hits.count) result\(hits.count == 1 ? "" : "s") for user \(user)")
            }
        }
    }

    /// `memconsole mem0 history ID`: a memory's events with old and new text.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a memory's history: add, updates, delete.",
            usage: "memconsole mem0 history <id> [<options>]",
            discussion: "Each event with its old and new text and its times.")

        @OptionGroup var mem0: Mem0Options
        @Argument(help: "The Mem0 memory id.") var id: String
        @Flag(help: "Print one JSON object ({\"events\": [{event, old_memory, new_memory, created_at, updated_at}]}).")
        var json = false

        func run() async throws {
            let client = try reportingErrors { try mem0.makeClient(maxConcurrentRequests: 1) }
            let events = try await reportingErrors { try await client.history(id: id) }
            if json {
                let items: [JSONValue] = events.map { event in
                    ["id": .string(event.id), "memory_id": .string(event.memoryID), "event": .string(event.eventName),
                     "old_memory": event.oldText.map(JSONValue.string) ?? .null,
                     "new_memory": event.newText.map(JSONValue.string) ?? .null,
                     "created_at": event.createdAtText.map(JSONValue.string) ?? .null,
                     "updated_at": event.updatedAtText.map(JSONValue.string) ?? .null]
                }
                print(JSONValue.object(["events": .array(items)]).serialized())
            } else {
                for event in events {
                    let when = event.updatedAtText ?? event.createdAtText ?? "-"
                    print("\(when)  \(event.eventName.padding(toLength: 6, withPad: " ", startingAt: 0))  \(event.oldText.map(clipped) ?? "∅") → \(event.newText.map(clipped) ?? "∅")")
                }
                print(events.isEmpty ? "no history for memory \(id)" : "\(events.count) event\(events.count == 1 ? "" : "s")")
            }
        }
    }
}

/// The first line of a memory text, at most 60 characters, for one-line listings.
private func clipped(_ text: String) -> String {
    let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    return firstLine.count > 60 ? firstLine.prefix(59) + "…" : firstLine
}
