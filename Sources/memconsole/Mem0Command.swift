import ArgumentParser
import Foundation
import Mem0Client

/// `memconsole mem0 …`: check and inspect the Mem0 server a migration will write to.
struct Mem0Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mem0",
        abstract: "Check and inspect a Mem0 server (hosted Platform or self-hosted OSS).",
        discussion: "The API key comes from MEM0_API_KEY or --api-key-file; it is never printed.",
        subcommands: [Ping.self, List.self, Search.self, History.self, Bench.self]
    )

    struct Ping: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check server and key; show the dialect and round trip.",
            usage: "memconsole mem0 ping [<options>]")

        @OptionGroup var mem0: Mem0Options
        @Flag(help: "Print one JSON object instead of text.") var json = false

        func run() async throws {
            do {
                let client = try mem0.makeClient(maxConcurrentRequests: 1)
                let started = ContinuousClock.now
                let ping = try await client.ping()
                let total = ContinuousClock.now - started
                let milliseconds = Self.milliseconds(ping.roundTrip)
                if json {
                    let value: JSONValue = [
                        "endpoint": .string(client.configuration.baseURL.absoluteString),
                        "dialect": .string(ping.dialect.rawValue),
                        "round_trip_ms": .double(milliseconds),
                        "total_ms": .double(Self.milliseconds(total)),
                    ]
                    print(value.serialized())
                } else {
                    print("endpoint   \(client.configuration.baseURL.absoluteString)")
                    print("dialect    \(ping.dialect.rawValue)\(mem0.dialect == .auto ? " (detected)" : "")")
                    print("round trip \(String(format: "%.1f", milliseconds)) ms")
                }
            } catch {
                throw memconsole.exitCode(for: error)
            }
        }

        static func milliseconds(_ duration: Duration) -> Double {
            (duration.inMilliseconds * 10).rounded() / 10
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every memory of one Mem0 user.", usage: "memconsole mem0 list --user <id> [<options>]")

        @OptionGroup var mem0: Mem0Options
        @Option(help: ArgumentHelp("The Mem0 user id.", valueName: "id")) var user: String
        @Flag(help: "Print one JSON object ({\"memories\": [...], \"truncated\": bool}).") var json = false

        func validate() throws {
            if user.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--user must not be empty; pass the Mem0 user id to list.")
            }
        }

        func run() async throws {
            do {
                let client = try mem0.makeClient()
                let list = try await client.memories(userID: user)
                if json {
                    print(Self.json(list).serialized())
                } else {
                    print(Self.table(list.memories))
                    print("\(list.memories.count) memor\(list.memories.count == 1 ? "y" : "ies") of user \(user)")
                }
                if list.truncated {
                    printWarning("the server listed only \(list.memories.count); the OSS API cannot enumerate more "
                                 + "than 1000 memories per user, so this list is incomplete.")
                }
            } catch {
                throw memconsole.exitCode(for: error)
            }
        }

        static func json(_ list: Mem0MemoryList) -> JSONValue {
            .object([
                "truncated": .bool(list.truncated),
                "memories": .array(list.memories.map { memory in
                    .object([
                        "id": .string(memory.id), "text": .string(memory.text),
                        "user_id": memory.userID.map(JSONValue.string) ?? .null,
                        "run_id": memory.runID.map(JSONValue.string) ?? .null,
                        "metadata": .object(memory.metadata),
                        "created_at": memory.createdAtText.map(JSONValue.string) ?? .null,
                        "updated_at": memory.updatedAtText.map(JSONValue.string) ?? .null,
                    ])
                }),
            ])
        }

        /// id, creation time and the first line of the text, one memory per line, oldest first.
        static func table(_ memories: [Mem0Memory]) -> String {
            let sorted = memories.sorted { ($0.createdAt ?? .distantPast, $0.id) < ($1.createdAt ?? .distantPast, $1.id) }
            var lines = ["ID                                    CREATED                    TEXT"]
            for memory in sorted {
                let created = (memory.createdAtText ?? "-").prefix(25)
                let firstLine = memory.text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                let text = firstLine.count > 60 ? firstLine.prefix(59) + "…" : Substring(firstLine)
                lines.append(memory.id.padding(toLength: 37, withPad: " ", startingAt: 0) + " "
                             + String(created).padding(toLength: 26, withPad: " ", startingAt: 0) + " " + text)
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Throughput of the client against a server (scripts/bench-mem0-client.sh drives it; not for operators).
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure add and get requests per second (benchmark support).", shouldDisplay: false)

        @OptionGroup var mem0: Mem0Options
        @Option(help: "Requests in flight at once.") var concurrency = 1
        @Option(help: "Requests per phase.") var count = 500
        @Option(help: "User id to write to (default: a fresh one).") var user: String?

        func run() async throws {
            do {
                guard (1...64).contains(concurrency), (1...1_000_000).contains(count) else {
                    throw ValidationError("--concurrency must be 1...64 and --count 1...1000000.")
                }
                let client = try mem0.makeClient(maxConcurrentRequests: concurrency)
                let dialect = try await client.dialect()
                let user = self.user ?? "bench-\(UUID().uuidString.prefix(8).lowercased())"
                let concurrency = self.concurrency, count = self.count
                let (ids, addSeconds) = try await Self.timed(count: count, concurrency: concurrency) { index in
                    let result = try await client.add(Mem0AddRequest(
                        text: "benchmark memory \(index) of \(user)", userID: user,
                        metadata: ["legacy_id": .int(Int64(index))]))
                    guard case .created(let ids) = result else { throw Mem0Error.badResponse(reason: "deduplicated") }
                    return ids[0]
                }
                let (_, getSeconds) = try await Self.timed(count: count, concurrency: concurrency) { index in
                    guard try await client.memory(id: ids[index]) != nil else {
                        throw Mem0Error.badResponse(reason: "memory \(ids[index]) missing after add")
                    }
                    return ids[index]
                }
                for (operation, seconds) in [("add", addSeconds), ("get", getSeconds)] {
                    print(String(format: "%@ dialect=%@ concurrency=%d count=%d seconds=%.3f rps=%.1f",
                                 operation, dialect.rawValue, concurrency, count, seconds, Double(count) / seconds))
                }
            } catch {
                throw memconsole.exitCode(for: error)
            }
        }

        /// Runs `count` operations with at most `concurrency` in flight; returns results in index order and seconds.
        static func timed(count: Int, concurrency: Int, _ operation: @escaping @Sendable (Int) async throws -> String)
            async throws -> ([String], Double) {
            let started = ContinuousClock.now
            var results = [String](repeating: "", count: count)
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                var next = 0
                while next < min(concurrency, count) {
                    let index = next
                    group.addTask { (index, try await operation(index)) }
                    next += 1
                }
                while let (index, value) = try await group.next() {
                    results[index] = value
                    if next < count {
                        let index = next
                        group.addTask { (index, try await operation(index)) }
                        next += 1
                    }
                }
            }
            let elapsed = ContinuousClock.now - started
            return (results, elapsed.inSeconds)
        }
    }
}
