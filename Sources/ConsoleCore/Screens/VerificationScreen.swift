import Migration

/// Do the counts hold? The two equations as bars, the checks, then the per-user table (sorted by legacy user id,
/// numerically; it pages like every list and Enter opens the user). 1/2/3 open the rejected rows, the duplicates and
/// the mismatches; `r` verifies again; `w` writes the row ledger beside the file (the file `memconsole report` writes).
public struct VerificationScreen: ScreenComponent, Opening {
    public enum Phase: Equatable, Sendable { case loading, loaded(VerificationResult), failed(String) }
    public var phase: Phase = .loading
    public var users = ListCursor()

    public init() {}

    public var title: String { "Verification" }
    public var bindings: [KeyBinding] { Bindings.verification }
    public mutating func opened(_ context: ScreenContext) -> [Effect] { [.loadVerification(sample: nil)] }

    public func viewport(_ context: ScreenContext) -> Int {
        guard case .loaded(let result) = phase else { return max(1, context.bodyHeight - Layout.verificationHeaderRows - 1) }
        return max(1, context.bodyHeight - VerificationRender.headerRows(result, width: context.width) - 1)
    }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if action == .refresh {
            phase = .loading
            return [.loadVerification(sample: nil)]
        }
        if action == .writeLedger {
            let path = context.status.filePath + ".ledger.jsonl"
            context.notice = .init("writing the row ledger to \(path)…", isError: false)
            return [.writeLedger(path: path)]
        }
        guard case .loaded(let result) = phase else { return [] }
        switch action {
        case .showRejected: return context.open(ClassifiedRowsScreen(kind: .rejected))
        case .showDuplicates: return context.open(ClassifiedRowsScreen(kind: .duplicates))
        case .showMismatches:
            context.push(MismatchesScreen(mismatches: result.mismatches))
            return []
        case .open:
            guard result.users.indices.contains(users.cursor) else { return [] }
            let user = result.users[users.cursor]
            return context.open(UserScreen(user: UserRow(id: user.legacyUserID, username: "#\(user.legacyUserID)",
                                                         displayName: nil, profiles: 0, sessions: 0, memories: user.linked,
                                                         createdAt: nil)))
        default:
            _ = users.perform(action, count: result.users.count, viewport: viewport(context))
            return []
        }
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        switch message {
        case .verificationLoaded(var result):
            result.users.sort { ($0.legacyUserID, $0.mem0UserID) < ($1.legacyUserID, $1.mem0UserID) }
            phase = .loaded(result)
            users.settle(count: result.users.count, viewport: viewport(context))
            return []
        case .verificationFailed(let text):
            phase = .failed(text)
            return []
        case .ledgerWritten(let path, let totals):
            context.notice = .init("✓ ledger written: \(path) · \(Format.count(totals.legacyRows)) rows · \(totals.isBalanced ? "balanced" : "NOT balanced")",
                                   isError: !totals.isBalanced)
            return []
        case .ledgerFailed(let path, let text):
            context.notice = .init("✗ the ledger was not written to \(path): \(text)", isError: true)
            return []
        default:
            return nil
        }
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        VerificationRender.render(self, tick: context.tick, area, &buffer)
    }

    public var isBusy: Bool { phase == .loading }
    public mutating func resized(_ context: ScreenContext) {
        if case .loaded(let result) = phase { users.settle(count: result.users.count, viewport: viewport(context)) }
    }
}
