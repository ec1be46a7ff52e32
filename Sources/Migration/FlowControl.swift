import Foundation
import Mem0Client

/// How a finished request went, as far as pacing is concerned.
enum RequestOutcome: Sendable, Equatable {
    case accepted
    /// HTTP 429, with the server's `Retry-After` in seconds when it sent one.
    case rateLimited(retryAfter: Double?)
    /// 5xx, timeout or a dropped connection: the server (or the path to it) is struggling.
    case overloaded
}

/// Additive-increase / multiplicative-decrease window on the number of requests in flight, after a slow start.
///
/// Slow start (as TCP's): one more slot per success, so the window doubles every round trip, until a request's own
/// latency first shows queueing (over 1.5× the lowest seen) or an overload; the window then falls back to half, the
/// last size that did not queue. Over 80 ms that reaches 64 in flight within three round trips instead of fifty-six,
/// which is most of a short pass (a sampled verification, the sweep). After it:
/// one more slot after a full window of successes (about one per round trip) — but only while the smoothed latency
/// stays under 1.5× the lowest seen, because once the server queues, more requests in flight add latency and no
/// throughput (and, behind a rate limit, only add 429s); one less per window while it is above 2.5× (not below 4: on a
/// server that works one request at a time, 4 in flight still overlap the client's own work with the server's; 2 left
/// the local server at ~0.6× of its ceiling). Half as many after an overload signal (5xx, timeout, dropped
/// connection), at most once per `decreaseSpacing` so one bad moment seen by many in-flight requests halves only once.
/// A fixed `--concurrency` disables adaptation.
struct ConcurrencyWindow: Sendable, Equatable {
    let minimum: Int
    let maximum: Int
    let isAdaptive: Bool
    private(set) var limit: Int
    private var successesSinceIncrease = 0
    private var lastDecrease: Double = -.infinity
    private var minLatency: Double = .infinity
    private(set) var smoothedLatency: Double?
    private(set) var inSlowStart = true
    let decreaseSpacing: Double = 1.0

    init(initial: Int = 8, minimum: Int = 1, maximum: Int = 64, adaptive: Bool = true) {
        self.minimum = minimum; self.maximum = maximum; self.isAdaptive = adaptive
        limit = min(max(initial, minimum), maximum)
    }

    /// The latency above which the server has begun to queue: 1.5× the lowest seen, plus 2 ms of jitter.
    private var roomThreshold: Double { minLatency * 1.5 + 0.002 }

    /// Whether latency says the server still has room (no queueing yet).
    var latencyHasRoom: Bool {
        guard let smoothed = smoothedLatency, minLatency.isFinite else { return true }
        return smoothed < roomThreshold
    }

    /// Latency says requests wait in the server's queue (well above the lowest seen).
    var isQueueing: Bool {
        guard let smoothed = smoothedLatency, minLatency.isFinite else { return false }
        return smoothed > minLatency * 2.5 + 0.002
    }

    mutating func record(_ outcome: RequestOutcome, latency: Double? = nil, at now: Double) {
        if case .accepted = outcome, let latency {
            minLatency = min(minLatency, latency)
            smoothedLatency = smoothedLatency.map { $0 * 0.9 + latency * 0.1 } ?? latency
        }
        guard isAdaptive else { return }
        switch outcome {
        case .accepted:
            if inSlowStart {
                if let latency, latency > roomThreshold {
                    inSlowStart = false
                    limit = max(minimum, limit / 2); successesSinceIncrease = 0
                } else if limit < maximum {
                    limit += 1
                }
                return
            }
            successesSinceIncrease += 1
            if successesSinceIncrease >= limit {
                successesSinceIncrease = 0
                if latencyHasRoom, limit < maximum {
                    limit += 1
                } else if isQueueing, limit > max(minimum, 4) {
                    limit -= 1   // the server queues: fewer in flight, same throughput, less contention
                }
            }
        case .overloaded:
            inSlowStart = false
            guard now - lastDecrease >= decreaseSpacing else { return }
            limit = max(minimum, limit / 2); successesSinceIncrease = 0; lastDecrease = now
        case .rateLimited:
            // The request pace, not the number in flight, is what a rate limit measures: the rate estimator handles it.
            break
        }
    }
}

/// Learns the server's request-rate limit from its 429s and paces requests just under it.
///
/// When a 429 arrives after a clear stretch, the limit is estimated as the requests accepted since the last
/// estimate divided by the time they took plus the server's `Retry-After` (for a fixed window that is exactly
/// limit/period; for a token bucket it starts high and converges on the refill rate as the burst allowance is
/// spent). The pace is set a little under the estimate (`headroom`), sending stops until `Retry-After` has passed, and
/// other 429s from requests already in flight within `Retry-After` are counted but do not re-estimate. Without 429s
/// the pace creeps up by `probeStep` every `probeInterval`, so a raised limit is found again. A `--rate` cap bounds
/// everything.
struct RateEstimator: Sendable, Equatable {
    let cap: Double?
    let headroom: Double = 0.985
    let probeInterval: Double = 15
    let probeStep: Double = 1.01
    let defaultRetryAfter: Double = 1
    /// Requests per second to pace at; nil = unpaced (only the cap, if any).
    private(set) var pace: Double?
    private(set) var pausedUntil: Double = 0
    private var acceptedSinceMark = 0
    private var markTime: Double
    private var lastProbe: Double

    init(cap: Double?, now: Double) {
        self.cap = cap; pace = cap; markTime = now; lastProbe = now
    }

    /// The rate actually used for pacing (the learned pace or the cap).
    var effectiveRate: Double? {
        switch (pace, cap) {
        case let (p?, c?): return min(p, c)
        case let (p?, nil): return p
        case let (nil, c?): return c
        case (nil, nil): return nil
        }
    }

    /// Returns true when this 429 changed the pace (a new estimate), false when it was an echo of one just handled.
    @discardableResult
    mutating func record(_ outcome: RequestOutcome, at now: Double) -> Bool {
        switch outcome {
        case .accepted:
            acceptedSinceMark += 1
            if pace != nil, now - lastProbe >= probeInterval, now >= pausedUntil {
                pace = pace.map { p in cap.map { min($0, p * probeStep) } ?? p * probeStep }
                lastProbe = now
            }
            return false
        case .overloaded:
            return false
        case .rateLimited(let retryAfter):
            let wait = max(retryAfter ?? defaultRetryAfter, 0.05)
            if now < pausedUntil { return false }    // an echo from a request already in flight
            let span = max(now - markTime, 0.001) + wait
            let estimate = Double(max(acceptedSinceMark, 1)) / span
            let newPace = estimate * headroom
            pace = cap.map { min($0, newPace) } ?? newPace
            pausedUntil = now + wait
            markTime = pausedUntil; acceptedSinceMark = 0; lastProbe = pausedUntil
            return true
        }
    }
}

/// The run's pacing: a concurrency window, a learned rate, a `--rate` cap and `Retry-After` pauses, shared by all
/// workers.
///
/// Workers call `waitForTurn(slot:)` before each request and `finish(_:)` after it. A worker whose slot number is
/// above the current window idles; sends are spaced `1/rate` apart on a schedule (no polling for tokens).
actor FlowController {
    private var window: ConcurrencyWindow
    private var estimator: RateEstimator
    private var nextSendTime: Double = 0
    private(set) var inFlight = 0
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    /// A stop request ends every wait at once (even a Retry-After pause): no new request leaves after it.
    private let stop: StopSignal

    init(initialConcurrency: Int, fixedConcurrency: Bool, maximumConcurrency: Int = 64, rateCap: Double?,
         stop: StopSignal = StopSignal()) {
        self.stop = stop
        start = clock.now
        window = ConcurrencyWindow(initial: initialConcurrency, maximum: max(maximumConcurrency, initialConcurrency),
                                   adaptive: !fixedConcurrency)
        estimator = RateEstimator(cap: rateCap, now: 0)
    }

    var concurrencyLimit: Int { window.limit }
    var rate: Double? { estimator.effectiveRate }

    private func now() -> Double { (clock.now - start).inSeconds }

    private var closed = false
    /// Bumped whenever a 429 re-plans the sending schedule; reservations made before it are void.
    private var schedule = 0

    /// No more work will come: idle workers stop waiting.
    func close() { closed = true }

    /// Suspends until worker `slot` may send one request; false when the work is over (no turn taken).
    func waitForTurn(slot: Int, force: Bool = false) async throws -> Bool {
        while true {
            try Task.checkCancellation()
            if stop.isRequested { return false }
            if closed && !force { return false }
            let t = now()
            // A row already taken (a retry, `force`) never waits for its slot: once the other workers have finished
            // nobody would grow the window again.
            if slot >= window.limit && !force { try await sleep(0.05); continue }
            if t < estimator.pausedUntil { try await sleep(estimator.pausedUntil - t); continue }
            if let rate = estimator.effectiveRate, rate > 0 {
                let sendAt = max(t, nextSendTime)
                nextSendTime = sendAt + 1 / rate
                let plan = schedule
                if sendAt > t { try await sleep(sendAt - t) }
                // A 429 while we slept re-planned the schedule (a pause, a new pace): this slot is void, take a new
                // one. Sending anyway is what made every 429 cost a burst of echo 429s.
                if plan != schedule { continue }
            }
            inFlight += 1
            return true
        }
    }

    /// Gives back a turn that was not used (no request was sent).
    func cancelTurn() { inFlight = max(0, inFlight - 1) }

    /// Records how the request went; returns the new pace when a 429 changed it.
    @discardableResult
    func finish(_ outcome: RequestOutcome, latency: Double? = nil) -> (changed: Bool, pace: Double?) {
        inFlight = max(0, inFlight - 1)
        let t = now()
        window.record(outcome, latency: latency, at: t)
        let changed = estimator.record(outcome, at: t)
        if changed { nextSendTime = estimator.pausedUntil; schedule += 1 }
        return (changed, estimator.effectiveRate)
    }

    /// Sleeps in slices of at most 0.1 s so that a stop request is seen within one slice.
    private func sleep(_ seconds: Double) async throws {
        var left = max(seconds, 0.001)
        while left > 0, !stop.isRequested {
            let slice = min(left, 0.1)
            try await Task.sleep(nanoseconds: UInt64(slice * 1e9))
            left -= slice
        }
    }
}

/// The idempotent passes around the send (final duplicate sweep, verification, rollback) under the same pacing as
/// the adds: a `FlowController` of their own (adaptive window, learned rate, `--rate` cap, `Retry-After` pauses), so
/// none of them is bounded by one round trip at a time, and none of them overruns a server the adds were careful with.
///
/// `client` is the caller's client without its own retries: every 429, 5xx or timeout reaches `PacedSlot.request`,
/// which records it (the window shrinks, the pace is learned) and resends after the pause or a backoff.
struct PacedRequests: Sendable {
    let client: Mem0Client
    let flow: FlowController
    let workers: Int
    let maxAttempts: Int

    init(client: Mem0Client, initialConcurrency: Int = 8, maximumConcurrency: Int = 64, rateCap: Double? = nil,
         maxAttempts: Int = 8) {
        self.client = client.with(retryPolicy: .none)
        flow = FlowController(initialConcurrency: initialConcurrency, fixedConcurrency: false,
                              maximumConcurrency: maximumConcurrency, rateCap: rateCap)
        workers = max(maximumConcurrency, initialConcurrency)
        self.maxAttempts = maxAttempts
    }

    /// Runs `body` once per item, up to the window's limit at a time. The first error stops the pass and is thrown.
    func forEach<Item: Sendable>(_ items: [Item], _ body: @escaping @Sendable (Item, PacedSlot) async throws -> Void)
        async throws {
        guard !items.isEmpty else { return }
        let next = Locked(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slot in 0..<min(workers, items.count) {
                let paced = PacedSlot(client: client, flow: flow, slot: slot, maxAttempts: maxAttempts)
                group.addTask {
                    while true {
                        // A worker above the window idles before it takes an item, never while holding one: once
                        // the others finished, nobody would grow the window again and the item would wait forever.
                        while slot >= (await flow.concurrencyLimit) {
                            if next.withLock({ $0 }) >= items.count { return }
                            try await Task.sleep(nanoseconds: 50_000_000)
                        }
                        let index = next.withLock { value -> Int in defer { value += 1 }; return value }
                        guard index < items.count else { return }
                        try await body(items[index], paced)
                    }
                }
            }
            // `next()`, not `waitForAll()`: the first failure ends the pass at once. `waitForAll()` would wait for
            // workers idling on a window that, with nothing succeeding, never opens to their slot.
            while try await group.next() != nil {}
        }
    }

    /// One request at a time (a repair's single change), with the same pacing and retries.
    static func one(client: Mem0Client) -> PacedRequests {
        PacedRequests(client: client, initialConcurrency: 1, maximumConcurrency: 1)
    }

    /// Runs `body` once per input (in any order) under the same flow control and returns the results in input
    /// order; `completed` hears the number done after each. `body` sends with its caller's own client. A Mem0
    /// failure that ends the pass is thrown as `MigrationError.mem0` with `context` when one is given.
    func map<Input: Sendable, Output: Sendable>(_ inputs: [Input], context: String? = nil,
                                                completed: (@Sendable (Int) -> Void)? = nil,
                                                _ body: @escaping @Sendable (Input) async throws -> Output)
        async throws -> [Output] {
        let results = Locked<[Int: Output]>([:])
        do {
            try await forEach(Array(inputs.indices)) { index, slot in
                let output = try await slot.request { _ in try await body(inputs[index]) }
                let done = results.withLock { $0[index] = output; return $0.count }
                completed?(done)
            }
        } catch let error as Mem0Error {
            guard let context else { throw error }
            throw MigrationError.mem0(error, context: context)
        }
        let collected = results.withLock { $0 }
        return inputs.indices.map { collected[$0]! }
    }
}

/// One worker of a `PacedRequests` pass: each request takes a turn of the flow and reports how it went.
struct PacedSlot: Sendable {
    let client: Mem0Client
    let flow: FlowController
    let slot: Int
    let maxAttempts: Int

    /// Sends one idempotent request (list, get, count, delete). A 429 waits for its `Retry-After` and is not an
    /// attempt; a transient failure backs off and resends, up to `maxAttempts`; anything else is thrown at once.
    func request<T: Sendable>(_ body: @Sendable (Mem0Client) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            // The worker was admitted by the window when it took its item (`PacedRequests.forEach`).
            _ = try await flow.waitForTurn(slot: slot, force: true)
            let started = ContinuousClock.now
            do {
                let value = try await body(client)
                await flow.finish(.accepted, latency: (ContinuousClock.now - started).inSeconds)
                return value
            } catch let error as Mem0Error {
                if case .rateLimited(let retryAfter) = error {
                    await flow.finish(.rateLimited(retryAfter: retryAfter.map(\.inSeconds)))
                    continue
                }
                attempt += 1
                guard isWorthRetrying(error), attempt < maxAttempts else {
                    await flow.finish(.accepted)
                    throw error
                }
                await flow.finish(.overloaded)
                try await backoffPause(attempt: attempt)
            } catch {
                await flow.cancelTurn()
                throw error
            }
        }
    }
}

/// The pause before resend number `attempt` of a request that failed transiently: exponential (0.25 s doubling, at
/// most 5 s, unless the caller says otherwise) with jitter over the upper half, so many workers that failed together do not return together.
/// The one backoff of the migration (row resends, lookups, paced passes).
/// `cutShort` is asked every 0.1 s (a stop request ends the pause early).
func backoffPause(attempt: Int, base: Double = 0.25, ceiling maximum: Double = 5,
                  cutShort: @Sendable () -> Bool = { false }) async throws {
    let ceiling = min(base * pow(2, Double(max(attempt - 1, 0))), maximum)
    var left = Double.random(in: ceiling / 2...ceiling)
    while left > 0, !cutShort() {
        let slice = min(left, 0.1)
        try await Task.sleep(nanoseconds: UInt64(slice * 1e9))
        left -= slice
    }
}
