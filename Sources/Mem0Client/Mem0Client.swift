import Foundation
import Logging

/// Something the client noticed that a caller may want to act on (the migration engine's events and its AIMD
/// concurrency control). Delivered synchronously on the thread of the request; keep the handler short.
public enum Mem0Observation: Sendable, Equatable {
    /// The server answered 429; `retryAfter` is its `Retry-After`, if any. Reported for every 429, add included.
    case rateLimited(operation: Mem0Operation, retryAfter: Duration?)
    /// An idempotent request failed transiently and will be sent again after `delay`.
    case retrying(operation: Mem0Operation, attempt: Int, delay: Duration, error: Mem0Error)
}

public enum Mem0Operation: String, Sendable, Equatable {
    case ping, add, get, list, lookup, delete, search, history, update
}

/// The Mem0 operations memconsole uses, in either dialect, over one libcurl transport.
///
/// Safe to share: any number of tasks may call it at once; at most `maxConcurrentRequests` requests are on the wire,
/// the rest queue. Idempotent operations retry transient failures under `configuration.retryPolicy`; `add` never
/// does (a resend could store the memory twice on OSS), and instead throws, leaving the decision to the caller.
/// With `dialect: .auto` the first call asks the server which dialect it speaks and remembers the answer.
public final class Mem0Client: Sendable {
    public let configuration: Mem0Configuration
    private let transport: CurlTransport
    private let observer: (@Sendable (Mem0Observation) -> Void)?
    private let resolved: LockedValue<Mem0Dialect?>
    private let logger: Logger

    public init(configuration: Mem0Configuration, logger: Logger = Logger(label: "memconsole.mem0"),
                observer: (@Sendable (Mem0Observation) -> Void)? = nil) {
        self.configuration = configuration
        self.transport = CurlTransport(maxConcurrency: configuration.maxConcurrentRequests)
        self.observer = observer
        self.resolved = LockedValue(configuration.dialect == .auto ? nil : configuration.dialect)
        self.logger = logger
    }

    private init(sharing other: Mem0Client, retryPolicy: Mem0RetryPolicy) {
        var configuration = other.configuration
        configuration.retryPolicy = retryPolicy
        self.configuration = configuration
        transport = other.transport; observer = other.observer; resolved = other.resolved; logger = other.logger
    }

    /// This client (same connections, same detected dialect) under another retry policy. The migration's paced
    /// passes use `.none`: they resend under their own flow control, which must see every 429 and 5xx to pace.
    public func with(retryPolicy: Mem0RetryPolicy) -> Mem0Client {
        Mem0Client(sharing: self, retryPolicy: retryPolicy)
    }

    /// The retry policy, for callers that decide themselves when to resend an `add`.
    public var retryPolicy: Mem0RetryPolicy { configuration.retryPolicy }

    // MARK: - Operations

    /// Checks the server answers and accepts the key; with `.auto`, detects the dialect.
    /// A 404/405 on one dialect's probe means "try the other"; a 401 means the key is wrong.
    /// Never retried: a health check reports what it sees, at once.
    public func ping() async throws -> Mem0Ping {
        if let dialect = resolved.withLock({ $0 }) {
            let response = try await perform(Mem0Calls.ping(dialect), operation: .ping, dialect: dialect,
                                             retrying: false)
            return Mem0Ping(endpoint: configuration.endpointDescription, dialect: dialect, roundTrip: response.elapsed)
        }
        return try await detectDialect(retrying: false)
    }

    /// The dialect in use, asking the server first when configured as `.auto`.
    public func dialect() async throws -> Mem0Dialect {
        if let dialect = resolved.withLock({ $0 }) { return dialect }
        return try await detectDialect(retrying: true).dialect
    }

    /// Stores one message verbatim (`infer: false`). Sent exactly once: on any error nothing is resent, and errors
    /// where `addMayHaveLanded` is true need a lookup by metadata before the caller sends it again.
    public func add(_ request: Mem0AddRequest) async throws -> Mem0AddResult {
        try await addReportingResends(request).result
    }

    /// `add`, plus whether libcurl may have delivered the request twice (see `Mem0AddOutcome`). The migration uses
    /// this form: an add that may exist twice is looked up by its legacy id before the run finalizes.
    public func addReportingResends(_ request: Mem0AddRequest) async throws -> Mem0AddOutcome {
        let dialect = try await dialect()
        let response = try await perform(Mem0Calls.add(request, dialect: dialect), operation: .add, dialect: dialect)
        return Mem0AddOutcome(result: try Mem0Decoding.addResult(try Mem0Decoding.json(response.body)),
                              mayHaveBeenSentTwice: response.mayHaveBeenSentTwice)
    }

    /// A Platform job, for an add that answered `.pending`. OSS has no jobs (its adds are synchronous).
    public func event(id: String) async throws -> Mem0Event {
        let response = try await perform(Mem0Calls.event(id: id), operation: .get, dialect: .platform)
        return try Mem0Decoding.event(try Mem0Decoding.json(response.body), id: id)
    }

    /// One memory, or nil when the server has none with that id (Platform 404, OSS 200 `null`).
    public func memory(id: String) async throws -> Mem0Memory? {
        let dialect = try await dialect()
        let response = try await perform(Mem0Calls.get(id: id, dialect: dialect), operation: .get, dialect: dialect,
                                         acceptNotFound: true)
        if response.status == 404 { return nil }
        let value = try Mem0Decoding.json(response.body)
        return value.isNull ? nil : try Mem0Decoding.memory(value)
    }

    /// Every memory of a user: all pages on the Platform; on OSS at most 1000, with `truncated` set when the server
    /// returned exactly that many (it cannot enumerate more, /work/shared/spec/mem0-api.md §B.6).
    public func memories(userID: String) async throws -> Mem0MemoryList {
        let dialect = try await dialect()
        switch dialect {
        case .platform, .auto:
            return Mem0MemoryList(memories: try await platformPages(userID: userID, metadata: nil, operation: .list),
                                  truncated: false)
        case .oss:
            let response = try await perform(Mem0Calls.ossList(userID: userID), operation: .list, dialect: dialect)
            let memories = try Mem0Decoding.results(try Mem0Decoding.json(response.body)).map(Mem0Decoding.memory)
            return Mem0MemoryList(memories: memories, truncated: memories.count >= Mem0Calls.ossListLimit)
        }
    }

    /// One page of a user's memories, for a screen: Platform `POST /v3/memories/` page `page` (200 a page); OSS
    /// `GET /memories` (page 1 only: it has no paging, and stops at 1,000, reported as `reachedServerCap`).
    public func memoriesPage(userID: String, page: Int) async throws -> Mem0MemoryPage {
        precondition(page >= 1, "pages count from 1")
        let dialect = try await dialect()
        switch dialect {
        case .platform, .auto:
            let response = try await perform(Mem0Calls.platformList(userID: userID, page: page), operation: .list,
                                             dialect: dialect, acceptNotFound: true)
            // A page past the end is DRF's 404 {"detail":"Invalid page."}: an empty last page, not an error.
            if response.status == 404 { return Mem0MemoryPage(memories: [], nextPage: nil, totalCount: nil, reachedServerCap: false) }
            let value = try Mem0Decoding.json(response.body)
            let memories = try Mem0Decoding.results(value).map(Mem0Decoding.memory)
            let hasNext = value["next"].map { !$0.isNull } ?? false
            return Mem0MemoryPage(memories: memories, nextPage: hasNext && !memories.isEmpty ? page + 1 : nil,
                                  totalCount: value["count"]?.int64Value.map { Int($0) }, reachedServerCap: false)
        case .oss:
            guard page == 1 else { return Mem0MemoryPage(memories: [], nextPage: nil, totalCount: nil, reachedServerCap: false) }
            let list = try await memories(userID: userID)
            return Mem0MemoryPage(memories: list.memories, nextPage: nil, totalCount: nil, reachedServerCap: list.truncated)
        }
    }

    /// Searches one user's memories for `query`, best first, with the server's scores (Platform
    /// `POST /v3/memories/search/`, OSS `POST /search`; both filtered to the user, threshold 0). `limit`: 1...1000.
    public func search(userID: String, query: String, limit: Int = 20) async throws -> [Mem0SearchHit] {
        let dialect = try await dialect()
        let call = Mem0Calls.search(userID: userID, query: query, limit: min(max(limit, 1), Mem0Calls.ossListLimit),
                                    dialect: dialect)
        let response = try await perform(call, operation: .search, dialect: dialect)
        let hits = try Mem0Decoding.results(try Mem0Decoding.json(response.body)).map(Mem0Decoding.searchHit)
        return hits.sorted { ($0.score ?? -.infinity) > ($1.score ?? -.infinity) }
    }

    /// A memory's history, oldest first: its add, text updates (old and new text) and delete. Empty when the server
    /// knows no such memory (Platform 404, OSS `[]`). mem0 records text changes only, not metadata (spec B.9).
    public func history(id: String) async throws -> [Mem0HistoryEvent] {
        let dialect = try await dialect()
        let response = try await perform(Mem0Calls.history(id: id, dialect: dialect), operation: .history,
                                         dialect: dialect, acceptNotFound: true)
        if response.status == 404 { return [] }
        return try Mem0Decoding.history(try Mem0Decoding.json(response.body))
    }

    /// Merges `metadata` into a memory's metadata, key by key (both dialects merge; a key cannot be removed, only set
    /// to null). Returns false when the server has no such memory.
    @discardableResult
    public func updateMetadata(id: String, merging metadata: [String: JSONValue]) async throws -> Bool {
        let dialect = try await dialect()
        let response = try await perform(Mem0Calls.updateMetadata(id: id, metadata: metadata, dialect: dialect),
                                         operation: .update, dialect: dialect, acceptNotFound: true)
        return response.status != 404
    }

    /// A user's memories whose metadata `key` equals `value`: how a migration finds what a crashed run stored.
    ///
    /// Platform: a v3 list filtered by `{"metadata": {key: value}}` (top-level keys only, equality), all pages.
    /// OSS: the union of `POST /search` with `filters` `{user_id, key: value}` (top_k 1000) and the user's list
    /// (top_k 1000), matched here. Both halves are needed: search ranks by similarity to a query and mem0 drops
    /// results scoring below 0 whatever the filter says, and the list stops at 1000. `truncated` is true when the
    /// list was cut, so a match may exist that neither call returned. Results are always re-checked on this side, so
    /// a server that ignores the filter cannot return a wrong memory.
    public func memories(userID: String, metadataKey key: String, value: JSONValue) async throws -> Mem0MemoryList {
        let dialect = try await dialect()
        switch dialect {
        case .platform, .auto:
            let found = try await platformPages(userID: userID, metadata: (key, value), operation: .lookup)
            return Mem0MemoryList(memories: found.filter { $0.metadata[key] == value }, truncated: false)
        case .oss:
            let search = try await perform(Mem0Calls.ossSearch(userID: userID, key: key, value: value),
                                           operation: .lookup, dialect: dialect)
            let searched = try Mem0Decoding.results(try Mem0Decoding.json(search.body)).map(Mem0Decoding.memory)
            let list = try await perform(Mem0Calls.ossList(userID: userID), operation: .lookup, dialect: dialect)
            let listed = try Mem0Decoding.results(try Mem0Decoding.json(list.body)).map(Mem0Decoding.memory)
            var seen = Set<String>()
            let matches = (searched + listed).filter { $0.metadata[key] == value && seen.insert($0.id).inserted }
            return Mem0MemoryList(memories: matches, truncated: listed.count >= Mem0Calls.ossListLimit)
        }
    }

    /// How many memories of a user carry metadata `key` = `value`, in one request, where the server can say: the
    /// Platform's list envelope `count` with `page_size=1`. Nil on OSS, whose list has no count (spec B.6): there
    /// only a full list counts.
    public func memoryCount(userID: String, metadataKey key: String, value: JSONValue) async throws -> Int? {
        let dialect = try await dialect()
        guard dialect != .oss else { return nil }
        let call = Mem0Calls.platformList(userID: userID, metadata: (key: key, value: value), page: 1, pageSize: 1)
        let response = try await perform(call, operation: .list, dialect: .platform, acceptNotFound: true)
        if response.status == 404 { return 0 }   // "Invalid page.": page 1 of nothing on some deployments
        guard let count = try Mem0Decoding.json(response.body)["count"]?.int64Value else {
            throw Mem0Error.badResponse(reason: "the list answer has no count")
        }
        return Int(count)
    }

    /// Deletes one memory; a 404 is reported as `.alreadyAbsent`, not as an error.
    public func delete(id: String) async throws -> Mem0DeleteResult {
        let dialect = try await dialect()
        let response = try await perform(Mem0Calls.delete(id: id, dialect: dialect), operation: .delete,
                                         dialect: dialect, acceptNotFound: true)
        return response.status == 404 ? .alreadyAbsent : .deleted
    }

    // MARK: - Internals

    private func detectDialect(retrying: Bool) async throws -> Mem0Ping {
        for candidate in [Mem0Dialect.platform, .oss] {
            do {
                let response = try await perform(Mem0Calls.ping(candidate), operation: .ping, dialect: candidate,
                                                 retrying: retrying)
                resolved.withLock { $0 = candidate }
                logger.debug("mem0 dialect detected", metadata: ["dialect": "\(candidate.rawValue)"])
                return Mem0Ping(endpoint: configuration.endpointDescription, dialect: candidate,
                                roundTrip: response.elapsed)
            } catch Mem0Error.server(let status, _, _) where status == 404 || status == 405 {
                continue
            }
        }
        throw Mem0Error.badResponse(reason: "neither /v1/ping/ (Platform) nor /configure/providers (OSS) exists there")
    }

    private func platformPages(userID: String, metadata: (String, JSONValue)?, operation: Mem0Operation)
        async throws -> [Mem0Memory] {
        var memories: [Mem0Memory] = []
        var page = 1
        while true {
            let call = Mem0Calls.platformList(userID: userID, metadata: metadata.map { (key: $0.0, value: $0.1) },
                                              page: page)
            let response = try await perform(call, operation: operation, dialect: .platform)
            let value = try Mem0Decoding.json(response.body)
            let results = try Mem0Decoding.results(value)
            memories += try results.map(Mem0Decoding.memory)
            let next = value["next"]
            if results.isEmpty || next == nil || next == .null { return memories }
            if let count = value["count"]?.int64Value, memories.count >= count { return memories }
            page += 1
            if page > 100_000 { throw Mem0Error.badResponse(reason: "the list never ends (more than 100000 pages)") }
        }
    }

    /// Sends a call, retrying transient failures of idempotent calls. Returns a 2xx response (or a 404 when
    /// `acceptNotFound`); throws `Mem0Error` (or `CancellationError`) otherwise.
    private func perform(_ call: Mem0Call, operation: Mem0Operation, dialect: Mem0Dialect,
                         acceptNotFound: Bool = false, retrying: Bool = true) async throws -> HTTPResponse {
        let request = httpRequest(for: call, dialect: dialect)
        var attempt = 0
        while true {
            let failure: Mem0Error
            do {
                let response = try await transport.send(request)
                logger.debug("mem0 request", metadata: ["request": "\(request.summary)", "status": "\(response.status)",
                                                        "elapsed": "\(response.elapsed)"])
                if (200..<300).contains(response.status) || (acceptNotFound && response.status == 404) {
                    return response
                }
                failure = redacted(Mem0Decoding.error(status: response.status, headers: response.headers,
                                                      body: response.body))
            } catch let transportFailure {
                failure = try mapped(transportFailure)
            }
            let error = failure
            if case .rateLimited(let retryAfter) = error {
                observer?(.rateLimited(operation: operation, retryAfter: retryAfter))
            }
            attempt += 1
            guard retrying, call.isIdempotent, let delay = configuration.retryPolicy.delay(for: error, attempt: attempt) else {
                logger.debug("mem0 request failed", metadata: ["request": "\(request.summary)", "error": "\(error)"])
                throw error
            }
            observer?(.retrying(operation: operation, attempt: attempt, delay: delay, error: error))
            logger.debug("mem0 request retrying", metadata: ["request": "\(request.summary)", "attempt": "\(attempt)"])
            try await Task.sleep(for: delay)
        }
    }

    private func mapped(_ failure: TransportFailure) throws -> Mem0Error {
        let host = configuration.endpointDescription
        switch failure {
        case .timedOut: return .timeout
        case .couldNotConnect: return .unreachable(host: host)
        case .connectionLost: return .connectionLost(host: host)
        case .cancelled: throw CancellationError()
        case .other(let detail): return .badResponse(reason: "libcurl: \(detail)")
        }
    }

    /// Belt and braces: a server that echoes request headers into an error body must not put the key on screen.
    private func redacted(_ error: Mem0Error) -> Mem0Error {
        guard case .server(let status, let code, let message?) = error, let secret = configuration.apiKey?.secret,
              message.contains(secret) else { return error }
        return .server(status: status, code: code, message: message.replacingOccurrences(of: secret, with: "***"))
    }

    private func httpRequest(for call: Mem0Call, dialect: Mem0Dialect) -> HTTPRequest {
        var components = URLComponents(url: configuration.baseURL, resolvingAgainstBaseURL: false)!
        let prefix = components.percentEncodedPath.hasSuffix("/")
            ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
        components.percentEncodedPath = prefix + call.path
        if !call.query.isEmpty { components.queryItems = call.query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        // No key: an OSS server run with AUTH_DISABLED, which rejects any key it is shown (mem0-api.md B.1).
        if let secret = configuration.apiKey?.secret {
            switch dialect {
            case .platform, .auto: headers.append(("Authorization", "Token \(secret)"))
            case .oss: headers.append(("X-API-Key", secret))
            }
        }
        if call.body != nil { headers.append(("Content-Type", "application/json")) }
        return HTTPRequest(method: call.method, url: components.url!, headers: headers,
                           body: call.body?.serializedData(), connectTimeout: configuration.connectTimeout,
                           totalTimeout: configuration.requestTimeout, caFile: configuration.caFile)
    }
}
