import Foundation

/// One memory as either server returns it.
public struct Mem0Memory: Sendable, Equatable, Identifiable {
    public var id: String
    /// The memory text (`memory` in both dialects).
    public var text: String
    public var userID: String?
    /// `run_id` on OSS, `session_id` in Platform get and list.
    public var runID: String?
    /// The stored metadata; empty when the server sent none (OSS omits it or sends null).
    public var metadata: [String: JSONValue]
    public var createdAt: Date?
    public var updatedAt: Date?
    /// `created_at` as sent: an OSS memory backdated through metadata keeps an unvalidated string.
    public var createdAtText: String?
    public var updatedAtText: String?

    public init(id: String, text: String, userID: String? = nil, runID: String? = nil,
                metadata: [String: JSONValue] = [:], createdAtText: String? = nil, updatedAtText: String? = nil) {
        self.id = id
        self.text = text
        self.userID = userID
        self.runID = runID
        self.metadata = metadata
        self.createdAtText = createdAtText
        self.updatedAtText = updatedAtText
        self.createdAt = createdAtText.flatMap(Mem0Timestamp.parse)
        self.updatedAt = updatedAtText.flatMap(Mem0Timestamp.parse)
    }
}

/// One legacy memory to store verbatim: one `user` message, `infer: false`.
public struct Mem0AddRequest: Sendable, Equatable {
    public var text: String
    public var userID: String
    public var runID: String?
    /// Stored as the memory's metadata. Namespace legacy fields (`legacy_*`): both servers drop or overwrite
    /// reserved keys (`user_id`, `agent_id`, `run_id`, `actor_id`, `role`, `hash`, `data`, `id`, …).
    public var metadata: [String: JSONValue]
    /// The original creation time. Platform: sent as `timestamp` (epoch seconds, fraction dropped).
    /// OSS: sent as `metadata.created_at` (ISO-8601 UTC), which becomes the memory's created_at and updated_at.
    public var createdAt: Date?

    public init(text: String, userID: String, runID: String? = nil, metadata: [String: JSONValue] = [:],
                createdAt: Date? = nil) {
        self.text = text
        self.userID = userID
        self.runID = runID
        self.metadata = metadata
        self.createdAt = createdAt
    }
}

/// What an add did.
public enum Mem0AddResult: Sendable, Equatable {
    /// The server stored the message and returned these ids (one, for one message).
    case created(ids: [String])
    /// The server answered success with no result: the Platform de-duplicated identical text in the same scope.
    /// No id is guessed; look the memory up by metadata (`memories(userID:metadataKey:value:)`).
    case deduplicated
    /// The Platform queued the add (`{"status": "PENDING", "event_id": …}`): the ids arrive in the event's results.
    /// Poll `event(id:)`; never send the add again while the event is pending.
    case pending(eventID: String)
}

/// An asynchronous Platform job (`GET /v1/event/{id}/`), as far as an add needs it.
public struct Mem0Event: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable { case pending = "PENDING", running = "RUNNING", succeeded = "SUCCEEDED", failed = "FAILED" }
    public var id: String
    public var status: Status
    /// Ids of the memories the event created (from `results[].id`), once it succeeded.
    public var memoryIDs: [String]
    /// The event's `error`, when it failed.
    public var error: String?

    public init(id: String, status: Status, memoryIDs: [String], error: String?) {
        self.id = id; self.status = status; self.memoryIDs = memoryIDs; self.error = error
    }
}

/// An add's result and what the transport saw while delivering it.
///
/// libcurl re-sends a request by itself when a reused keep-alive connection dies before any byte of the answer
/// arrives, POSTs included; if the server had already applied the first copy, Mem0 now holds the memory twice and
/// only one id came back. `mayHaveBeenSentTwice` is true whenever that could have happened (it is also true when the
/// kept-alive connection had merely closed while idle: the two look the same from the client).
public struct Mem0AddOutcome: Sendable, Equatable {
    public var result: Mem0AddResult
    public var mayHaveBeenSentTwice: Bool
    public init(result: Mem0AddResult, mayHaveBeenSentTwice: Bool) {
        self.result = result; self.mayHaveBeenSentTwice = mayHaveBeenSentTwice
    }
}

/// What a delete did.
public enum Mem0DeleteResult: Sendable, Equatable {
    case deleted
    /// The server said 404: nothing to delete (already deleted, or never there).
    case alreadyAbsent
}

/// All memories of one user as far as the server can enumerate them.
public struct Mem0MemoryList: Sendable, Equatable {
    public var memories: [Mem0Memory]
    /// True when the server may hold more than it returned: OSS lists at most 1000 per user, with no paging.
    public var truncated: Bool

    public init(memories: [Mem0Memory], truncated: Bool) {
        self.memories = memories
        self.truncated = truncated
    }
}

/// The answer to `ping()`.
public struct Mem0Ping: Sendable, Equatable {
    public var endpoint: String
    public var dialect: Mem0Dialect
    /// Time of the final, successful probe request.
    public var roundTrip: Duration
}

/// One page of a user's memories, for a screen that pages through them.
public struct Mem0MemoryPage: Sendable, Equatable {
    public var memories: [Mem0Memory]
    /// The page to ask for next, or nil at the end. OSS has no paging: its one page is the whole list.
    public var nextPage: Int?
    /// The user's total as the server counts it (Platform `count`); nil on OSS, which does not count.
    public var totalCount: Int?
    /// True when OSS returned its cap (1,000): the user may hold more than any REST call can list (spec B.6).
    public var reachedServerCap: Bool

    public init(memories: [Mem0Memory], nextPage: Int?, totalCount: Int?, reachedServerCap: Bool) {
        self.memories = memories; self.nextPage = nextPage; self.totalCount = totalCount
        self.reachedServerCap = reachedServerCap
    }
}

/// One search result: the memory and its score as the server ranked it (higher is closer).
public struct Mem0SearchHit: Sendable, Equatable {
    public var memory: Mem0Memory
    public var score: Double?
    public init(memory: Mem0Memory, score: Double?) { self.memory = memory; self.score = score }
}

/// One change in a memory's history, oldest first as the server lists them.
public struct Mem0HistoryEvent: Sendable, Equatable, Identifiable {
    public enum Kind: String, Sendable, Equatable { case add = "ADD", update = "UPDATE", delete = "DELETE", other }
    public var id: String
    public var memoryID: String
    public var kind: Kind
    /// The event name as sent (`kind` is `.other` for a name this client does not know).
    public var eventName: String
    public var oldText: String?
    public var newText: String?
    public var createdAtText: String?
    public var updatedAtText: String?

    public init(id: String, memoryID: String, eventName: String, oldText: String?, newText: String?,
                createdAtText: String?, updatedAtText: String?) {
        self.id = id; self.memoryID = memoryID; self.eventName = eventName
        self.kind = Kind(rawValue: eventName.uppercased()) ?? .other
        self.oldText = oldText; self.newText = newText
        self.createdAtText = createdAtText; self.updatedAtText = updatedAtText
    }
}
