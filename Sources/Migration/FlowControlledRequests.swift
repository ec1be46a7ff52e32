import Foundation
import Mem0Client

/// Runs many independent, idempotent Mem0 reads (or merges) under one `FlowController`: the same AIMD window,
/// learned rate and `Retry-After` pauses the migration's sends use, so an audit on a rate-limited Platform slows down
/// instead of drawing 429s.
///
/// Each `map` is one batch with a `FlowController` of its own (a controller is closed when its work runs out, and
/// cannot be reopened). See `perform` for what is sent again; any other failure stops the whole batch at once as
/// `MigrationError.mem0`.
struct FlowControlledRequests: Sendable {
    let concurrency: Int?
    let rateCap: Double?
    var workers: Int { concurrency ?? 32 }

    init(concurrency: Int?, rateCap: Double? = nil) {
        self.concurrency = concurrency; self.rateCap = rateCap
    }

    /// Runs `body` once per input (in any order) and returns the results in input order; `completed` hears the
    /// number done after each one.
    func map<Input: Sendable, Output: Sendable>(_ inputs: [Input],
                                                completed: (@Sendable (Int) -> Void)? = nil,
                                                _ body: @escaping @Sendable (Input) async throws -> Output)
        async throws -> [Output] {
        guard !inputs.isEmpty else { return [] }
        let next = Locked(0)
        let results = Locked<[Int: Output]>([:])
        let flow = FlowController(initialConcurrency: concurrency ?? 8, fixedConcurrency: concurrency != nil,
                                  maximumConcurrency: workers, rateCap: rateCap)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slot in 0..<min(workers, inputs.count) {
                group.addTask {
                    while true {
                        guard try await flow.waitForTurn(slot: slot) else { return }
                        let index = next.withLock { n -> Int? in
                            guard n < inputs.count else { return nil }
                            n += 1
                            return n - 1
                        }
                        guard let index else { await flow.cancelTurn(); await flow.close(); return }
                        let output = try await Self.perform(flow: flow, slot: slot) { try await body(inputs[index]) }
                        let done = results.withLock { results -> Int in
                            results[index] = output
                            return results.count
                        }
                        completed?(done)
                    }
                }
            }
            // `next()`, not `waitForAll()`: the first failure must end the batch at once. `waitForAll()` would wait for
            // workers idling on a window that, with nothing succeeding, never opens to their slot.
            while try await group.next() != nil {}
        }
        let collected = results.withLock { $0 }
        return inputs.indices.map { collected[$0]! }
    }

    /// One request; the caller holds a turn on entry, and every retry takes a new one.
    ///
    /// The client has already retried what it calls transient (timeouts, lost connections, 502/503/504, 429 with its
    /// `Retry-After`) before an error reaches here, so those only tell the flow the server is struggling and end the
    /// batch. A 429 the client gave up on re-paces the flow and is sent again (the flow waits out `Retry-After`); a
    /// plain 5xx, which the client does not retry for reads, gets a few tries with back-off.
    private static func perform<T: Sendable>(flow: FlowController, slot: Int,
                                             _ body: @Sendable () async throws -> T) async throws -> T {
        var serverErrors = 0, rateLimits = 0
        var holding = true
        while true {
            if !holding { _ = try await flow.waitForTurn(slot: slot, force: true) }
            holding = false
            let started = ContinuousClock.now
            do {
                let value = try await body()
                await flow.finish(.accepted, latency: (ContinuousClock.now - started).inSeconds)
                return value
            } catch let error as Mem0Error {
                switch error {
                case .rateLimited(let retryAfter) where rateLimits < 20:
                    rateLimits += 1
                    await flow.finish(.rateLimited(retryAfter: retryAfter.map(\.inSeconds)))
                case .server(let status, _, _) where status >= 500 && !error.isTransient && serverErrors < 3:
                    serverErrors += 1
                    await flow.finish(.overloaded)
                    let ceiling = min(0.2 * pow(2, Double(serverErrors - 1)), 2)
                    try await Task.sleep(nanoseconds: UInt64(Double.random(in: ceiling / 2...ceiling) * 1e9))
                default:
                    await flow.finish(error.isTransient ? .overloaded : .accepted)
                    throw MigrationError.mem0(error, context: "(auditing or repairing drift)")
                }
            }
        }
    }
}
