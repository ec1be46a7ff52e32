import ArgumentParser
import Foundation
import Migration

/// `memconsole repair PATH --dry-run|--apply` and `repair PATH --undo RUN`.
struct RepairCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Repair what 'audit' finds: delete dangling rows, adopt unlinked memories, re-sync disagreements.",
        discussion: """
        Audits first, then lists every repair. --dry-run stops there; --apply runs them, journaled in the file \
        (memconsole_repair_journal) under a run id that 'repair PATH --undo RUN' takes back. Never deletes a Mem0 \
        memory unless --delete-unlinked-memories is given. See docs/drift-audit.md.
        """)

    @Argument(help: "The migrated SQLite database file.")
    var path: String

    @Flag(help: "List the repairs and change nothing.")
    var dryRun = false

    @Flag(help: "Run the repairs (each is listed before it runs).")
    var apply = false

    @Option(name: .customLong("undo"), help: ArgumentHelp("Undo the repair run with this id.", valueName: "run"))
    var undoRunID: String?

    @Option(help: "Repair only one kind of finding: dangling, unlinked or disagreeing.")
    var only: DriftFinding.Kind?

    @Option(help: "For disagreeing rows: to-metadata (Mem0's values into the row) or to-mem0 (the row's into Mem0).")
    var direction: RepairDirection?

    @Flag(help: "Delete unlinked Mem0 memories instead of adopting them. Cannot be undone.")
    var deleteUnlinkedMemories = false

    @OptionGroup var users: Mem0UserOptions
    @OptionGroup var flow: AuditFlowOptions
    @OptionGroup var mem0: Mem0Options

    func validate() throws {
        let modes = [dryRun, apply, undoRunID != nil].filter { $0 }.count
        if modes != 1 { throw ValidationError("Give exactly one of --dry-run, --apply or --undo RUN.") }
        if undoRunID != nil, only != nil || direction != nil || deleteUnlinkedMemories {
            throw ValidationError("--undo takes no --only, --direction or --delete-unlinked-memories.")
        }
        if deleteUnlinkedMemories, only != nil, only != .unlinked {
            throw ValidationError("--delete-unlinked-memories only acts on unlinked memories; drop --only \(only!.rawValue).")
        }
        try flow.validate()
    }

    func run() async throws {
        let client = try makeMigrationClient(mem0)
        let file = URL(fileURLWithPath: path)
        let repair = DriftRepair(file: file, client: client, mapping: users.mapping)
        if let undoRunID {
            let undo = try await reportingErrors { try await repair.undo(runID: undoRunID) }
            print("undo of repair run \(undo.runID): \(undo.restored) change(s) restored")
            return
        }
        let audit = try await reportingErrors {
            try await DriftAudit(file: file, client: client, mapping: users.mapping, concurrency: flow.concurrency).run()
        }
        let options = RepairOptions(only: only, direction: direction, deleteUnlinkedMemories: deleteUnlinkedMemories)
        let plan = try reportingErrors { try RepairPlan(audit: audit, options: options) }
        print("audit: metadata rows \(audit.metadataRows) = ok \(audit.linkedOK) + dangling \(audit.dangling) + disagreeing \(audit.disagreeing); Mem0 memories \(audit.mem0Memories) = linked \(audit.linked) + unlinked \(audit.unlinked)")
        print("repairs: \(plan.actions.count)")
        for action in plan.actions { print("  \(action.kind.rawValue): \(action.summary)") }
        for skip in plan.skipped { print("  skipped: \(DriftText.line(skip.finding)): \(skip.reason)") }
        if dryRun {
            print("dry run: nothing was changed")
            return
        }
        guard !plan.actions.isEmpty else {
            print("nothing to repair")
            return
        }
        let run = try await reportingErrors { try await repair.apply(plan) }
        for skip in run.skipped { print("  left alone: \(DriftText.line(skip.finding)): \(skip.reason)") }
        print("repair run \(run.runID): \(run.applied.count) applied, \(run.skipped.count) left alone")
        print("undo with: memconsole repair \(path) --undo \(run.runID)")
    }
}

extension DriftFinding.Kind: ExpressibleByArgument {}
extension RepairDirection: ExpressibleByArgument {}
