import Foundation
import Migration

/// One entry of the navigation stack, holding its own state so going back restores exactly what was there.
public enum Screen: Equatable, Sendable {
    case users(PagedList<UserRow>)
    case user(UserScreen)
    case memories(MemoriesScreen)
    case sessions(SessionsScreen)
    case agentLogs(AgentLogsScreen)
    case transcript(TranscriptScreen)
    case logDetail(LogDetailScreen)
    case diff(DiffScreen)
    case verification(VerificationScreen)
    case classList(ClassListScreen)
    case wizard(WizardScreen)

    public var title: String {
        switch self {
        case .users: return "Users"
        case .user(let s): return "User \(s.user.username)"
        case .memories(let s): return s.title
        case .sessions(let s): return s.title
        case .agentLogs(let s): return s.title
        case .transcript(let s): return "Session #\(s.session.id) \(s.session.title ?? "")"
        case .logDetail(let s): return "Log #\(s.log.id)"
        case .diff(let s): return "Diff memory #\(s.ref.legacyID)"
        case .verification: return "Verification"
        case .classList(let s): return s.kind.title
        case .wizard(let s): return "Migration wizard — step \(s.step.number)/7 \(s.step.name)"
        }
    }

    public var bindings: [KeyBinding] {
        switch self {
        case .users: return Bindings.users
        case .user(let s): return Bindings.user(s.tab)
        case .memories: return Bindings.memories
        case .sessions: return Bindings.sessions
        case .agentLogs: return Bindings.agentLogs
        case .transcript: return Bindings.transcript
        case .logDetail: return Bindings.logDetail
        case .diff: return Bindings.diff
        case .verification: return Bindings.verification
        case .classList: return Bindings.classList
        case .wizard(let s): return Bindings.wizard(s.step)
        }
    }

    var awaitsPage: Bool {
        switch self {
        case .users(let l): return l.isLoading
        case .user(let s):
            switch s.tab {
            case .profiles: return s.profiles.isLoading
            case .sessions: return s.sessions.isLoading
            case .memories: return s.memories.isLoading
            case .agentLogs: return s.logs.isLoading
            }
        case .memories(let s): return s.list.isLoading
        case .sessions(let s): return s.list.isLoading
        case .agentLogs(let s): return s.list.isLoading
        case .transcript(let s): return s.list.isLoading
        case .classList(let s): return s.kind != .mismatches && s.list.isLoading
        case .logDetail, .diff, .verification, .wizard: return false
        }
    }

    var isBusy: Bool {
        switch self {
        case .users(let l): return l.isLoading
        case .user(let s): return s.isBusy
        case .memories(let s): return s.list.isLoading
        case .sessions(let s): return s.list.isLoading
        case .agentLogs(let s): return s.list.isLoading
        case .transcript(let s): return s.list.isLoading
        case .logDetail: return false
        case .diff(let s): return s.phase == .loading
        case .verification(let s): return s.phase == .loading
        case .classList(let s): return s.list.isLoading
        case .wizard(let s): return s.isBusy
        }
    }
}

/// A user's four sections, each a paged list loaded the first time it is shown.
public struct UserScreen: Equatable, Sendable {
    public enum Tab: Int, CaseIterable, Sendable { case profiles, sessions, memories, agentLogs
        public var name: String { ["Profiles", "Sessions", "Memories", "Agent logs"][rawValue] }
    }
    public var user: UserRow
    public var tab: Tab = .profiles
    public var profiles: PagedList<ProfileRow>
    public var sessions: PagedList<SessionRow>
    public var memories: PagedList<MemoryRow>
    public var logs: PagedList<AgentLogRow>

    public init(user: UserRow) {
        self.user = user
        profiles = PagedList(id: .profiles(userID: user.id))
        sessions = PagedList(id: .sessions(userID: user.id))
        memories = PagedList(id: .memories(userID: user.id, profileID: nil))
        logs = PagedList(id: .agentLogs(.user(user.id)))
    }
    var isBusy: Bool { profiles.isLoading || sessions.isLoading || memories.isLoading || logs.isLoading }
}

public struct MemoriesScreen: Equatable, Sendable {
    public var title: String
    public var list: PagedList<MemoryRow>
}

public struct SessionsScreen: Equatable, Sendable {
    public var title: String
    public var list: PagedList<SessionRow>
}

public struct AgentLogsScreen: Equatable, Sendable {
    public var title: String
    public var list: PagedList<AgentLogRow>
}

/// A session's messages as a transcript, scrolled by line. `anchor` (a message id and a line inside it) keeps the
/// view still when pages are added or trimmed around it.
public struct TranscriptScreen: Equatable, Sendable {
    public var session: SessionRow
    public var list: PagedList<MessageRow>
    public var lineOffset = 0
    /// After `.last` loads, scroll to the bottom.
    public var wantsBottom = false
    public init(session: SessionRow) {
        self.session = session
        list = PagedList(id: .messages(sessionID: session.id))
    }
}

public struct LogDetailScreen: Equatable, Sendable {
    public var log: AgentLogRow
    public var offset = 0
}

public struct DiffScreen: Equatable, Sendable {
    public enum Phase: Equatable, Sendable {
        case loading
        case loaded(DiffModel)
        /// Mem0 could not be asked (down, slow, unauthorized): the legacy side alone, and what to do.
        case failed(message: String, legacy: LegacyMemoryValues?)
    }
    public var ref: MemoryRef
    public var phase: Phase = .loading
    public var offset = 0
}

public struct VerificationScreen: Equatable, Sendable {
    public enum Phase: Equatable, Sendable { case loading, loaded(VerificationResult), failed(String) }
    public var phase: Phase = .loading
    public var cursor = 0
    public var top = 0
}

public struct ClassListScreen: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case rejected, duplicates, mismatches
        var title: String {
            switch self {
            case .rejected: return "Rejected rows"
            case .duplicates: return "Duplicate rows"
            case .mismatches: return "Mismatches"
            }
        }
    }
    public var kind: Kind
    /// Rejected and duplicate rows come from the journal, paged like any list.
    public var list: PagedList<ClassifiedRow>
    /// Mismatches come with the verification result.
    public var mismatches: [VerificationMismatch] = []
    public var mismatchCursor = 0
    public var mismatchTop = 0
}
