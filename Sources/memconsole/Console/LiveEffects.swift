import ConsoleCore
import Foundation
import Mem0Client
import Migration
import Storage

/// The console's live side: turns the core's `Effect`s into Storage, Mem0 and Migration work and answers with
/// `Message`s through the run loop's inbox.
///
/// A keyset page is answered inline, on the UI thread, before `handle` returns: it costs well under a millisecond
/// (an indexed range read of a screenful of rows), and answering it at once is what lets the next key act on the page
/// it navigated to. Everything slow runs elsewhere: legacy-row reads for the diff on `databaseQueue`, Mem0 calls and
/// migration runs as Swift tasks (the client's libcurl transport blocks on its own worker threads, never on the
/// cooperative pool, and its timeouts turn a dead server into `mem0RecordFailed` within seconds).
final class LiveEffects: @unchecked Sendable {
    typealias Message = ConsoleCore.Message
    typealias Effect = ConsoleCore.Effect

    let browsed: BrowsedDatabase
    let mem0: Mem0Client?
    /// The status line's live facts: file state after a run, detected dialect, whether the file is being written.
    let status: LiveStatus
    /// How the wizard's run names Mem0 users (`--user-id-source`, `--user-id-prefix`, as in `migrate`).
    let mapping: Mem0UserMapping
    private let pages: PageLoader
    private let mem0Reads: Mem0Reads
    private let databaseQueue = DispatchQueue(label: "memconsole.console.database", qos: .userInitiated)
    /// The running migration's engine, stopped cleanly by `cancelMigration` (guarded by `lock`).
    private var runningEngine: MigrationEngine?
    /// The audit on show; a new one (`r`, or after a repair) ends the old stream, which cancels it.
    private var auditTask: Task<Void, Never>?
    private let lock = NSLock()

    init(browsed: BrowsedDatabase, mem0: Mem0Client?, status: LiveStatus, mapping: Mem0UserMapping) {
        self.mapping = mapping
        self.browsed = browsed
        self.mem0 = mem0
        self.status = status
        pages = PageLoader(database: browsed.database, schema: status.schema)
        mem0Reads = Mem0Reads(database: browsed.database, mem0: mem0, mapping: mapping)
    }

    /// The run loop's `EffectHandler`.
    func handle(_ effect: Effect, _ inbox: MessageInbox) {
        run(effect, reply: inbox.send)
    }

    private func run(_ effect: Effect, reply: @escaping @Sendable (Message) -> Void) {
        switch effect {
        case .loadPage(let list, let query):
            do {
                let (rows, hasMore) = try pages.load(list, query)
                reply(.pageLoaded(list, rows, query, hasMore: hasMore))
            } catch {
                reply(.pageFailed(list, query, message: Self.describe(error)))
            }
            // A schema another connection moved (a CLI resume finalized the file): the file's state is read again.
            if status.schema.takeMove() { status.reinspectFile(reply: reply) }
        case .fetchMem0Record(let ref):
            databaseQueue.async { [self] in
                let diff = MemoryDiffSource(database: browsed.database, mem0: mem0, schema: status.schema)
                let legacy: LegacyMemoryValues
                let mem0ID: String?
                do {
                    (legacy, _, mem0ID) = try diff.legacyRow(ref)
                } catch {
                    reply(.mem0RecordFailed(ref, legacy: nil, message: Self.describe(error)))
                    return
                }
                Task {
                    let answer = await diff.fetchRecord(ref, legacy: legacy, mem0ID: mem0ID)
                    reply(answer)
                    if case .mem0RecordLoaded = answer { await self.noteDialect(reply) }
                }
            }
        case .runPreflight:
            databaseQueue.async { [self] in
                let preflight = WizardPreflight(browsed: browsed, mem0: mem0, status: status)
                Task {
                    reply(await preflight.run(reply: reply))
                }
            }
        case .loadVerification, .startMigrationPlan, .startMigration, .cancelMigration, .runDriftAudit, .applyRepair:
            runMigrationEffect(effect, reply: reply)
        case .loadMem0Memories(let user, let page):
            let reads = mem0Reads
            Task { reply(await reads.page(user, page: page)) }
        case .searchMem0(let user, let query):
            let reads = mem0Reads
            Task { reply(await reads.search(user, query: query)) }
        case .loadMem0History(let id):
            let reads = mem0Reads
            Task { reply(await reads.history(id)) }
        case .loadStoredRows(let ref):
            // Two indexed reads by id: answered inline, like a page.
            reply(mem0Reads.storedRows(ref))
        case .writeLedger(let path):
            let file = URL(fileURLWithPath: browsed.database.path)
            databaseQueue.async {
                do {
                    reply(.ledgerWritten(path: path, try RowLedger.write(file: file, format: .jsonl, to: URL(fileURLWithPath: path))))
                } catch let error as RowLedger.LedgerFileError {
                    reply(.ledgerFailed(path: path, message: error.operatorMessage))
                } catch {
                    reply(.ledgerFailed(path: path, message: Self.describe(error)))
                }
            }
        case .copyToClipboard, .quit:
            break   // the run loop's own: the terminal copies, the loop ends
        }
    }

    private func runMigrationEffect(_ effect: Effect, reply: @escaping @Sendable (Message) -> Void) {
        let runner = MigrationRunner(browsed: browsed, mem0: mem0, mapping: mapping)
        switch effect {
        case .loadVerification(let sample):
            Task {
                let answer = await runner.verify(sample: sample)
                reply(answer)
                if case .verificationLoaded = answer { await self.noteDialect(reply) }
            }
        case .startMigrationPlan:
            Task {
                await runner.plan(reply: reply)
            }
        case .startMigration(let options):
            status.writing(true, reply: reply)
            Task {
                await runner.migrate(options, started: { engine in self.lock.withLock { self.runningEngine = engine } }) { message in
                    reply(message)
                    guard case .migrationEvent(let event) = message else { return }
                    switch event {
                    case .runStarted: Task { await self.noteDialect(reply) }   // the engine's ping succeeded
                    case .finalized: self.status.reinspectFile(reply: reply)   // now "migrated": lists reload
                    default: break
                    }
                }
                // Stopped, cancelled or finished: the file may now be "partly migrated", and is no longer written.
                self.lock.withLock { self.runningEngine = nil }
                self.status.reinspectFile(reply: reply)
                self.status.writing(false, reply: reply)
            }
        case .runDriftAudit:
            auditTask?.cancel()
            auditTask = Task { await runner.audit(reply: reply) }
        case .applyRepair(let plan):
            status.writing(true, reply: reply)
            Task {
                reply(await runner.repair(plan))
                self.status.writing(false, reply: reply)
            }
        case .cancelMigration:
            // The stream goes on until the engine's `.ended`: the adds in flight finish and are linked first.
            lock.withLock { runningEngine?.stop() }
        default:
            break
        }
    }

    /// Shows the dialect Mem0 speaks once a call has succeeded. With `auto` the client remembers what it detected,
    /// so after a successful call `dialect()` answers without asking the server again.
    private func noteDialect(_ reply: @escaping @Sendable (Message) -> Void) async {
        guard let mem0, mem0.configuration.dialect == .auto, let dialect = try? await mem0.dialect() else { return }
        status.dialectDetected(dialect, reply: reply)
    }

    /// The operator message of a typed error, or its description.
    static func describe(_ error: any Error) -> String {
        if let error = error as? StorageError { return error.operatorMessage }
        if let error = error as? Mem0Error { return error.operatorMessage }
        if let error = error as? MigrationError { return error.operatorMessage }
        return "\(error)"
    }
}
