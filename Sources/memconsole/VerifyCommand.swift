import ArgumentParser
import Foundation
import Migration

/// `memconsole verify PATH`: checks a migrated file against Mem0; exit 1 on any mismatch.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a migrated file against Mem0: counts, links, text and created times.",
        usage: "memconsole verify [<options>] <path>",
        discussion: """
        Legacy rows must equal linked + duplicates + rejected; Mem0 must hold exactly one memory of the run per link \
        for each user; each compared link's text must equal the legacy content byte for byte and its created time \
        must match to the second. Exits 1 on any mismatch.
        """)

    @Argument(help: "The migrated SQLite database file.")
    var path: String

    @Option(help: ArgumentHelp("Compare only this many random links (default: all).", valueName: "n"))
    var sample: Int?

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @OptionGroup var mem0: Mem0Options

    func validate() throws {
        if let sample, sample < 1 { throw ValidationError("--sample must be 1 or more.") }
    }

    func run() async throws {
        let client = try makeMigrationClient(mem0)
        // Progress goes to stderr (a bar on a terminal, lines otherwise): stdout keeps the result alone.
        let progress = SerializedProgressPrinter(MigrationProgressPrinter(json: false, output: .standardError))
        let result: VerificationResult
        do {
            result = try await Verifier.verify(file: URL(fileURLWithPath: path), client: client, sample: sample,
                                               progress: { progress.phase($0) })
            progress.end()
        } catch {
            progress.end()
            throw memconsole.exitCode(for: error)
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: MigrationJSON.verification(result), options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("rows: legacy \(result.legacyRows) = linked \(result.linked) + duplicates \(result.duplicates) + rejected \(result.rejected): \(result.isBalanced ? "yes" : "NO")")
            print("links compared: \(result.checkedLinks)\(result.sampled ? " (random sample)" : " (all)")")
            for user in result.users {
                print("  user \(user.mem0UserID): linked \(user.linked), in Mem0 \(user.mem0Count.map(String.init) ?? "uncountable"), checked \(user.checked), mismatched \(user.mismatched)")
            }
            for note in result.notes { print("note: \(note)") }
            for mismatch in result.mismatches.prefix(50) {
                print("mismatch: \(mismatch.kind.rawValue)\(mismatch.legacyID.map { " row \($0)" } ?? "")\(mismatch.mem0ID.map { " mem0 \($0)" } ?? ""): \(mismatch.detail)")
            }
            if result.mismatches.count > 50 { print("… \(result.mismatches.count - 50) more mismatches") }
            print(result.isPassing ? "verification passed" : "verification FAILED")
        }
        if !result.isPassing { throw ExitStatus.verificationMismatch.exitCode }
    }
}
