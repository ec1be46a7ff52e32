import Foundation
import Mem0Client

/// Runs many independent, idempotent Mem0 reads (or merges) under one `FlowController`: the same AIMD window,
/// learned rate and `Retry-After` pauses the migration's sends use, so an audit on a rate-limited Platform slows down
/// instead of drawing 429s.
///
/// Each `map` is one batch with a `FlowController` of its own (a controller is closed when its work runs out, and
/// cannot be reopened). Each job is retried on a transient failure (`isWorthRetrying`, backing off) and on a 429 (which only re-paces);
/// any other failure stops the whole batch as `MigrationError.mem0`.
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
            try await group.waitForAll()
        }
        let collected = results.withLock { $0 }
        return inputs.indices.map { collected[$0]! }
    }

    /// One request; the caller holds a turn on entry, and every retry takes a new one.
    private static func perform<T: Sendable>(flow: FlowController, slot: Int,
                                             _ body: @Sendable () async throws -> T) async throws -> T {
        var failures = 0
        var holding = true
        while true {
            if !holding { _ = try await flow.waitForTurn(slot: slot, force: true) }
            holding = false
            let started = ContinuousClock.now
            do {
                let value = try await body()
                await flow.finish(.accepted, latency: seconds(ContinuousClock.now - started))
                return value
            } catch let error as Mem0Error {
                switch error {
                case .rateLimited(let retryAfter):
                    await flow.finish(.rateLimited(retryAfter: retryAfter.map(seconds)))
                case _ where isWorthRetrying(error) && failures < 7:
                    await flow.finish(.overloaded)
                    failures += 1
                    let ceiling = min(0.2 * pow(2, Double(failures - 1)), 4)
                    try await Task.sleep(nanoseconds: UInt64(Double.random(in: ceiling / 2...ceiling) * 1e9))
                default:
                    await flow.finish(.accepted)
                    throw MigrationError.mem0(error, context: "(auditing or repairing drift)")
                }
            }
        }
    }
}
