import Mem0Client
import Migration

/// What happened: a key, a resize, a tick of time, or a result the composition root brings back from an effect.
public enum Message: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    /// About ten a second from the run loop: turns the spinner. The only way time reaches the state.
    case tick
    /// Reload what the current screen shows.
    case refresh
    case pageLoaded(ListID, PageRows, PageQuery, hasMore: Bool)
    case pageFailed(ListID, PageQuery, message: String)
    /// The legacy row and its Mem0 record (nil: Mem0 answered that there is none).
    case mem0RecordLoaded(MemoryRef, legacy: LegacyMemoryValues, record: Mem0MemoryValues?)
    /// Mem0 did not answer usefully (down, timeout, 401...): `message` is the operator message; the legacy row when read.
    case mem0RecordFailed(MemoryRef, legacy: LegacyMemoryValues?, message: String)
    case verificationLoaded(VerificationResult)
    case verificationFailed(String)
    case preflightLoaded(PreflightInfo)
    case preflightFailed(String)
    /// One event of the plan or the run, exactly as the engine yielded it.
    case migrationEvent(MigrationEvent)
    /// A page of a user's Mem0 memories with each one's link; its failure (`message` is the operator message).
    case mem0MemoriesLoaded(Mem0UserRef, page: Int, Mem0MemoriesPage)
    case mem0MemoriesFailed(Mem0UserRef, page: Int, message: String)
    /// A search within a user, best first (each row's `score` set).
    case mem0SearchLoaded(Mem0UserRef, query: String, [Mem0MemoryRow])
    case mem0SearchFailed(Mem0UserRef, query: String, message: String)
    /// A memory's history, oldest first (empty: Mem0 knows no such memory).
    case mem0HistoryLoaded(memoryID: String, [Mem0HistoryEvent])
    case mem0HistoryFailed(memoryID: String, message: String)
    /// The metadata row and the legacy row of a memory, as stored (nil: no such row, or its table is gone).
    case storedRowsLoaded(MemoryRowsRef, metadata: StoredRowView?, legacy: StoredRowView?)
    case storedRowsFailed(MemoryRowsRef, message: String)
    /// One event of the drift audit, exactly as `DriftAudit.events()` yielded it.
    case driftAudit(DriftAuditEvent)
    case repairApplied(RepairRun)
    case repairFailed(String)
    case ledgerWritten(path: String, RowLedger.Totals)
    case ledgerFailed(path: String, message: String)
    case statusChanged(StatusInfo)
    case error(String)

    /// The message a terminal event becomes: the wheel scrolls like the arrow keys.
    public init(_ event: TerminalEvent) {
        switch event {
        case .key(let key): self = .key(key)
        case .resize(let w, let h): self = .resize(width: w, height: h)
        case .wheel(let up): self = .key(up ? .up : .down)
        }
    }
}

/// What the live world should do next. The composition root turns each into Storage, Mem0 or Migration calls and
/// answers with `Message`s; none of these may block the input loop.
public enum Effect: Equatable, Sendable {
    case loadPage(ListID, PageQuery)
    /// Read the legacy row (`memories` or `memories_backup`) and fetch its Mem0 record live.
    case fetchMem0Record(MemoryRef)
    /// Run verification (nil: full; n: sample of n links) and answer `verificationLoaded`/`verificationFailed`.
    case loadVerification(sample: Int?)
    /// Inspect the file and ping Mem0: answer `preflightLoaded`/`preflightFailed`.
    case runPreflight
    /// Dry run: answer with `migrationEvent(.planned(...))` (or `.failed`).
    case startMigrationPlan
    /// The real run: stream every event back as `migrationEvent`.
    case startMigration(WizardOptions)
    case cancelMigration
    /// Page `page` (from 1) of a user's Mem0 memories, with `MemoryLink`s: answer `mem0MemoriesLoaded`/`Failed`.
    case loadMem0Memories(Mem0UserRef, page: Int)
    case searchMem0(Mem0UserRef, query: String)
    case loadMem0History(memoryID: String)
    /// Read the memory's metadata row and legacy row as stored: answer `storedRowsLoaded`/`Failed`.
    case loadStoredRows(MemoryRowsRef)
    /// Write the row ledger (JSONL, the file `memconsole report --output` writes) to `path`.
    case writeLedger(path: String)
    /// Run `DriftAudit` on the file and stream its events back as `driftAudit`.
    case runDriftAudit
    /// Apply the reviewed plan through `DriftRepair`: answer `repairApplied` or `repairFailed`.
    case applyRepair(RepairPlan)
    /// The run loop hands it to the terminal (`Terminal.copyToClipboard`).
    case copyToClipboard(String)
    case quit
}
