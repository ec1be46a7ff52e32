import ArgumentParser
import Foundation
import Migration

/// `memconsole rollback PATH`: undoes a migration run (finished or not).
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Undo a migration: delete the Mem0 memories it created and restore the legacy file.",
        usage: "memconsole rollback [<options>] <path>",
        discussion: """
        Deletes every Mem0 memory the run's journal links (404 counts as already gone) and any copy of an \
        unconfirmed row found by its legacy id, then restores memories (from memories_backup, or from the backup \
        file when the table was dropped) and removes memories_metadata and the journal, in one transaction. \
        Safe to run again if it stops midway.
        """)

    @Argument(help: "The SQLite database file a migration ran on.")
    var path: String

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @OptionGroup var mem0: Mem0Options

    func run() async throws {
        let client = try makeMigrationClient(mem0)
        let summary: RollbackSummary
        do {
            summary = try await MigrationRollback(file: URL(fileURLWithPath: path), client: client).run()
        } catch {
            throw memconsole.exitCode(for: error)
        }
        if json {
            let data = try JSONEncoder().encode(summary)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("rolled back run \(summary.runID): \(summary.deleted) Mem0 memories deleted (\(summary.alreadyGone) already gone, \(summary.foundByLookup) found by legacy id); memories restored from \(summary.restoredFrom); the file is in its legacy state again.")
        }
    }
}
