import Foundation
import Mem0Client

/// What a few real requests cost, measured in preflight: the latency one request sees, and the server time each
/// one takes when many arrive at once (the spacing of their answers in a burst).
///
/// The requests are gets of a memory id that does not exist: authenticated, read-only, and carrying whatever a
/// server or the path to it charges per request (key checks, a proxy, a WAN), but not the cost of any data (a list
/// on the local server costs time proportional to the whole store). What an add costs beyond that is learned in
/// the run's first seconds (the ETA).
struct RequestCost: Sendable, Equatable {
    var requests: Int
    /// Median wall time of one request of the burst, seconds.
    var latency: Double
    /// Lowest wall time seen: the round trip with no queueing.
    var fastest: Double
    /// The burst's wall time beyond the fastest request, spread over the other requests: what one more request in
    /// flight adds when the server works one request at a time. 0 when the server answered them all in parallel.
    var serverTimePerRequest: Double

    /// Requests per second with up to `window` in flight: bounded by the round trip and by the server's own time.
    func requestsPerSecond(window: Int) -> Double {
        let byLatency = Double(window) / max(latency, 0.0005)
        guard serverTimePerRequest > 0 else { return byLatency }
        return min(byLatency, 1 / serverTimePerRequest)
    }
}

enum RequestCostProbe {
    /// Sends `burst` (at least 4) gets at once and times them; nil when Mem0 failed them (the run then reports its
    /// rate as not measured; its first seconds give the ETA).
    static func measure(client: Mem0Client, burst: Int = 16) async -> RequestCost? {
        let count = max(burst, 4)
        let probeClient = client.with(retryPolicy: .none)
        let started = ContinuousClock.now
        let times: [Double]
        do {
            times = try await withThrowingTaskGroup(of: Double.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        let begin = ContinuousClock.now
                        _ = try await probeClient.memory(id: UUID().uuidString.lowercased())
                        return (ContinuousClock.now - begin).inSeconds
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        } catch {
            return nil
        }
        let wall = (ContinuousClock.now - started).inSeconds
        let sorted = times.sorted()
        let fastest = sorted[0]
        let spread = max(0, wall - fastest) / Double(max(count - 1, 1))
        return RequestCost(requests: count, latency: sorted[count / 2], fastest: fastest, serverTimePerRequest: spread)
    }
}

/// The plan's estimate of a whole run: the adds, plus the requests of the post-send phases (the sweep expects none:
/// only rows with an ambiguous failure are swept; the verification's requests depend on the dialect and the sample).
struct RunEstimate: Sendable {
    var addsPerSecond: Double
    var afterSendRequests: Int
    var seconds: Double
    var source: String

    init(cost: RequestCost?, rows: Int, users: Int, dialect: Mem0Dialect, settings: MigrationSettings) {
        afterSendRequests = Self.verifyRequests(sample: settings.verifySample, users: users, dialect: dialect)
        guard let cost else {
            addsPerSecond = settings.rateCap ?? 0
            seconds = addsPerSecond > 0 ? Double(rows + afterSendRequests) / addsPerSecond : 0
            source = settings.rateCap != nil ? "--rate; Mem0 was not measured"
                : "not measured: Mem0 did not answer the preflight requests"
            return
        }
        let window = settings.concurrency ?? settings.maximumConcurrency
        var rate = cost.requestsPerSecond(window: window)
        var basis = String(format: "measured in preflight: %d gets at once, %.0f ms each, %.1f ms of server time each",
                           cost.requests, cost.latency * 1000, cost.serverTimePerRequest * 1000)
        if let cap = settings.rateCap, cap < rate { rate = cap; basis += ", --rate" }
        addsPerSecond = rate
        seconds = rate > 0 ? Double(rows + afterSendRequests) / rate : 0
        source = basis + (afterSendRequests > 0 ? "; includes \(afterSendRequests) verification requests" : "")
            + "; an add costs the server more than a get, so this is the fastest the run can go: the ETA corrects it in the first seconds"
    }

    /// Requests the default verification makes after finalize (see `Verifier.verify`): the sample's links by id
    /// and a count of their users on the Platform; on OSS one list per sampled user (which returns the records).
    static func verifyRequests(sample: Int?, users: Int, dialect: Mem0Dialect) -> Int {
        guard let sample, sample > 0 else { return 0 }
        return dialect == .oss ? min(sample, users) : sample + min(sample, users)
    }
}
