import Foundation

/// One API call in dialect terms: method, path, query and JSON body, before any header or key is attached.
/// Building these is pure, so the exact wire format of every operation is unit-tested without a server.
struct Mem0Call: Sendable, Equatable {
    var method: HTTPRequest.Method
    /// Path below the base URL, starting with `/`, unescaped except for ids (escaped by `Mem0Call.segment`).
    var path: String
    var query: [(String, String)] = []
    var body: JSONValue?
    /// Whether sending it twice does no harm (so the client may retry it on its own).
    var isIdempotent: Bool

    static func == (lhs: Mem0Call, rhs: Mem0Call) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.body == rhs.body && lhs.isIdempotent == rhs.isIdempotent
            && lhs.query.map { "\($0.0)=\($0.1)" } == rhs.query.map { "\($0.0)=\($0.1)" }
    }

    /// Escapes an id for use as one path segment (a `/` or `?` in an id must not change the route).
    static func segment(_ raw: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#;%")
        return raw.addingPercentEncoding(withAllowedCharacters: allowed) ?? raw
    }
}

/// The calls of each dialect (spec: `mem0-api.md` §0, A.2–A.8, B.2–B.8).
enum Mem0Calls {
    /// Platform list page size: the documented maximum.
    static let platformPageSize = 200
    /// OSS list cap: the server's `top_k` validator allows at most 1000 and there is no paging.
    static let ossListLimit = 1000

    static func ping(_ dialect: Mem0Dialect) -> Mem0Call {
        switch dialect {
        case .platform, .auto: return Mem0Call(method: .get, path: "/v1/ping/", isIdempotent: true)
        case .oss: return Mem0Call(method: .get, path: "/configure/providers", isIdempotent: true)
        }
    }

    static func add(_ request: Mem0AddRequest, dialect: Mem0Dialect) -> Mem0Call {
        var body: [String: JSONValue] = [
            "messages": [["role": "user", "content": .string(request.text)]],
            "user_id": .string(request.userID),
            "infer": false,
        ]
        if let runID = request.runID { body["run_id"] = .string(runID) }
        var metadata = request.metadata
        switch dialect {
        case .platform, .auto:
            if let createdAt = request.createdAt {
                body["timestamp"] = .int(Int64(createdAt.timeIntervalSince1970.rounded(.down)))
            }
            if !metadata.isEmpty { body["metadata"] = .object(metadata) }
            return Mem0Call(method: .post, path: "/v3/memories/add/", body: .object(body), isIdempotent: false)
        case .oss:
            // OSS has no timestamp field; `metadata.created_at` becomes the memory's created_at (/work/shared/spec/mem0-api.md §B.4).
            if let createdAt = request.createdAt { metadata["created_at"] = .string(Mem0Timestamp.format(createdAt)) }
            if !metadata.isEmpty { body["metadata"] = .object(metadata) }
            return Mem0Call(method: .post, path: "/memories", body: .object(body), isIdempotent: false)
        }
    }

    /// The Platform's job status (singular `event`, as the code and integrations use; mem0-api.md A.4).
    static func event(id: String) -> Mem0Call {
        Mem0Call(method: .get, path: "/v1/event/\(Mem0Call.segment(id))/", isIdempotent: true)
    }

    static func get(id: String, dialect: Mem0Dialect) -> Mem0Call {
        switch dialect {
        case .platform, .auto: return Mem0Call(method: .get, path: "/v1/memories/\(Mem0Call.segment(id))/", isIdempotent: true)
        case .oss: return Mem0Call(method: .get, path: "/memories/\(Mem0Call.segment(id))", isIdempotent: true)
        }
    }

    static func delete(id: String, dialect: Mem0Dialect) -> Mem0Call {
        switch dialect {
        case .platform, .auto:
            return Mem0Call(method: .delete, path: "/v1/memories/\(Mem0Call.segment(id))/", isIdempotent: true)
        case .oss:
            return Mem0Call(method: .delete, path: "/memories/\(Mem0Call.segment(id))", isIdempotent: true)
        }
    }

    /// Platform v3 list, one page. `metadata` narrows to memories whose top-level metadata key equals the value.
    /// `pageSize` 1 is how a count is asked for: the envelope's `count` covers every page.
    static func platformList(userID: String, metadata: (key: String, value: JSONValue)? = nil, page: Int,
                             pageSize: Int = platformPageSize) -> Mem0Call {
        var clauses: [JSONValue] = [["user_id": .string(userID)]]
        if let metadata { clauses.append(["metadata": .object([metadata.key: metadata.value])]) }
        return Mem0Call(method: .post, path: "/v3/memories/",
                        query: [("page", String(page)), ("page_size", String(pageSize))],
                        body: ["filters": ["AND": .array(clauses)]], isIdempotent: true)
    }

    /// OSS list: everything of one user up to the 1000 cap.
    static func ossList(userID: String) -> Mem0Call {
        Mem0Call(method: .get, path: "/memories", query: [("user_id", userID), ("top_k", String(ossListLimit))],
                 isIdempotent: true)
    }

    /// OSS `POST /search` narrowed by filters: `user_id` and one metadata key (metadata is stored flat in the vector
    /// payload, so a metadata key filters like an id). The query text only ranks; `threshold: 0` keeps every match.
    static func ossSearch(userID: String, key: String, value: JSONValue) -> Mem0Call {
        let query: String = value.stringValue ?? value.serialized()
        return Mem0Call(method: .post, path: "/search",
                        body: ["query": .string(query),
                               "filters": .object(["user_id": .string(userID), key: value]),
                               "top_k": .int(Int64(ossListLimit)), "threshold": .double(0)],
                        isIdempotent: true)
    }

    /// Search within one user. Platform (A.13): `POST /v3/memories/search/` with `filters`; OSS (B.3): `POST /search`
    /// with `filters`. `threshold: 0` keeps every match mem0 scores at or above zero, so ranking is the server's.
    static func search(userID: String, query: String, limit: Int, dialect: Mem0Dialect) -> Mem0Call {
        let body: JSONValue = ["query": .string(query), "filters": ["user_id": .string(userID)],
                               "top_k": .int(Int64(limit)), "threshold": .double(0)]
        switch dialect {
        case .platform, .auto: return Mem0Call(method: .post, path: "/v3/memories/search/", body: body, isIdempotent: true)
        case .oss: return Mem0Call(method: .post, path: "/search", body: body, isIdempotent: true)
        }
    }

    /// A memory's change history (Platform A.10, OSS B.9).
    static func history(id: String, dialect: Mem0Dialect) -> Mem0Call {
        switch dialect {
        case .platform, .auto:
            return Mem0Call(method: .get, path: "/v1/memories/\(Mem0Call.segment(id))/history/", isIdempotent: true)
        case .oss: return Mem0Call(method: .get, path: "/memories/\(Mem0Call.segment(id))/history", isIdempotent: true)
        }
    }

    /// Merges `metadata` into a memory's metadata (Platform A.7, OSS B.7: both merge key by key). Idempotent: the
    /// same merge twice leaves the same record.
    static func updateMetadata(id: String, metadata: [String: JSONValue], dialect: Mem0Dialect) -> Mem0Call {
        let body: JSONValue = ["metadata": .object(metadata)]
        switch dialect {
        case .platform, .auto:
            return Mem0Call(method: .put, path: "/v1/memories/\(Mem0Call.segment(id))/", body: body, isIdempotent: true)
        case .oss: return Mem0Call(method: .put, path: "/memories/\(Mem0Call.segment(id))", body: body, isIdempotent: true)
        }
    }
}
