import ArgumentParser
import Foundation
import Migration

/// `memconsole audit PATH`: compares the metadata table with Mem0 both ways; exit 1 on any drift.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check that every metadata row has its Mem0 memory, and every Mem0 memory its row.",
        discussion: """
        metadata rows = linked-and-matching + dangling + disagreeing, and, for the file's users, \
        Mem0 memories = linked + unlinked. Lists every dangling row, unlinked memory and disagreement \
        (user, profile, memory_type, tags). Exits 0 when clean, 1 on drift. See docs/drift-audit.md.
        """)

    @Argument(help: "The migrated SQLite database file.")
    var path: String

    @Option(help: ArgumentHelp("Audit only this many random users (all their rows and memories; default: all).",
                               valueName: "n"))
    var sample: Int?

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @OptionGroup var users: Mem0UserOptions
    @OptionGroup var flow: AuditFlowOptions
    @OptionGroup var mem0: Mem0Options

    func validate() throws {
        if let sample, sample < 1 { throw ValidationError("--sample must be 1 or more.") }
        try flow.validate()
    }

    func run() async throws {
        let client = try makeMigrationClient(mem0)
        let audit = DriftAudit(file: URL(fileURLWithPath: path), client: client, mapping: users.mapping,
                               sampleUsers: sample, concurrency: flow.concurrency)
        let result = try await reportingErrors { try await audit.run() }
        if json {
            print(DriftJSON.text(DriftJSON.audit(result)))
        } else {
            for line in DriftText.audit(result) { print(line) }
        }
        if !result.isClean { throw ExitStatus.driftFound.exitCode }
    }
}

/// `--user-id-source` / `--user-id-prefix` for commands that read a migrated file; unset: the migration run's.
struct Mem0UserOptions: ParsableArguments {
    @Option(name: .customLong("user-id-source"),
            help: "Mem0 user id of each file user: id (users.id) or username (default: as the migration did).")
    var userIDSource: UserIDSource?

    @Option(name: .customLong("user-id-prefix"),
            help: ArgumentHelp("Prepended to every Mem0 user id (default: as the migration did).", valueName: "prefix"))
    var userIDPrefix: String?

    var mapping: Mem0UserMapping? {
        guard userIDSource != nil || userIDPrefix != nil else { return nil }
        return Mem0UserMapping(source: userIDSource ?? .id, prefix: userIDPrefix ?? "")
    }
}

/// `--concurrency` for the audit's Mem0 reads (adaptive by default, as in a migration).
struct AuditFlowOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Requests in flight, fixed (default: adaptive, 8 at first, up to 32).", valueName: "n"))
    var concurrency: Int?

    func validate() throws {
        if let concurrency, !(1...64).contains(concurrency) { throw ValidationError("--concurrency must be between 1 and 64.") }
    }
}

extension DriftAuditError: CLIReportable {
    var cliMessage: String { operatorMessage }
    var exitStatus: ExitStatus {
        switch self {
        case .noMetadataTable: return .legacyDatabase
        case .directionRequired: return .repairDirectionRequired
        case .repairRunNotFound: return .repairRunNotFound
        case .undoConflicts: return .repairUndoIncomplete
        }
    }
}

/// The audit and repair as lines for people.
enum DriftText {
    static func audit(_ r: DriftAuditResult) -> [String] {
        var lines = [
            "metadata rows \(r.metadataRows) = linked-and-matching \(r.linkedOK) + dangling \(r.dangling) + disagreeing \(r.disagreeing)",
            "Mem0 memories \(r.mem0Memories) = linked \(r.linked) + unlinked \(r.unlinked)",
            "users audited: \(r.usersAudited) of \(r.usersInFile)\(r.sampled ? " (random sample)" : "")",
        ]
        for finding in r.findings { lines.append(line(finding)) }
        for note in r.notes { lines.append("note: \(note)") }
        lines.append(r.isClean ? "audit clean" : "audit found drift: \(r.dangling + r.disagreeing + r.unlinked) finding(s)")
        return lines
    }

    static func line(_ f: DriftFinding) -> String {
        let row = f.metadataID.map { "row \($0)" } ?? "no row"
        let user = "user \(f.userID.map(String.init) ?? "?") (\(f.mem0UserID ?? "?"))"
        switch f.kind {
        case .dangling: return "dangling: \(row), \(user): Mem0 has no memory \(f.mem0MemoryID)"
        case .unlinked: return "unlinked: memory \(f.mem0MemoryID), \(user): no metadata row links it"
        case .disagreeing:
            let fields = f.differences.map { "\($0.field.rawValue) row=\($0.metadataValue) mem0=\($0.mem0Value)" }
            return "disagreeing: \(row), memory \(f.mem0MemoryID), \(user): \(fields.joined(separator: "; "))"
        }
    }
}

/// The audit as the JSON object of `audit --json` (docs/drift-audit.md lists the fields).
enum DriftJSON {
    static func audit(_ r: DriftAuditResult) -> [String: Any] {
        ["clean": r.isClean, "metadata_rows": r.metadataRows, "linked_ok": r.linkedOK, "dangling": r.dangling,
         "disagreeing": r.disagreeing, "mem0_memories": r.mem0Memories, "linked": r.linked, "unlinked": r.unlinked,
         "users_in_file": r.usersInFile, "users_audited": r.usersAudited, "sampled": r.sampled,
         "users_at_server_cap": r.usersAtServerCap, "notes": r.notes, "findings": r.findings.map(finding)]
    }

    static func finding(_ f: DriftFinding) -> [String: Any] {
        var object: [String: Any] = ["kind": f.kind.rawValue, "metadata_id": f.metadataID ?? NSNull(),
                                     "mem0_memory_id": f.mem0MemoryID, "user_id": f.userID ?? NSNull(),
                                     "mem0_user_id": f.mem0UserID ?? NSNull()]
        if !f.differences.isEmpty {
            object["differences"] = f.differences.map {
                ["field": $0.field.rawValue, "metadata": $0.metadataValue, "mem0": $0.mem0Value]
            }
        }
        return object
    }

    static func text(_ object: [String: Any]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
