import Foundation
import GRDB
import Mem0Client
import Storage

/// Everything that can block a migration later, checked before anything changes: the wizard's step 1 and the same
/// rules the engine applies when a run starts. Each check is ✓ or ✗ with what to do; a run starts only when all pass.
public struct MigrationPreflight: Sendable, Equatable {
    public struct Check: Sendable, Equatable {
        public enum Name: String, Sendable, CaseIterable {
            case file = "the file"
            case writable = "file and folder writable"
            case freeSpace = "free space for the backup"
            case noOtherWriter = "no other writer"
            case mem0Reachable = "Mem0 reachable"
            case keyAccepted = "API key accepted"
        }
        public var name: Name
        public var passed: Bool
        /// What was found (✓) or what to do (✗), one sentence.
        public var detail: String
    }

    public var checks: [Check] = []
    public var state: DatabaseState = .empty
    /// The legacy rows a run would plan (rows of `memories`), 0 when the table is gone.
    public var legacyRows = 0
    /// The interrupted run, when the file is partly migrated: what the wizard offers to resume.
    public var interruptedRun: InterruptedRun?
    public var dialect: Mem0Dialect?
    public var pingMilliseconds: Double?

    /// A run the file records as started and not finished.
    public struct InterruptedRun: Sendable, Equatable {
        public var runID: String
        public var startedAt: String
        public var counts: JournalCounts
    }

    public var passed: Bool { !checks.isEmpty && checks.allSatisfy(\.passed) }
    /// The first failing check's fix, phrased as the operator's next step.
    public var blocker: String? { checks.first { !$0.passed }.map { "\($0.name.rawValue): \($0.detail)" } }

    /// Runs every check. `backup`: a backup file will be written (the free-space check then needs the file's size).
    /// Reads only; the file is opened read-only except for a write-lock probe that takes and releases the lock.
    public static func check(file: URL, client: Mem0Client?, backup: Bool) async -> MigrationPreflight {
        var result = MigrationPreflight()
        // The file: what it is, and whether a run can start (or resume) from that state.
        do {
            let database = try MigrationFile.open(file, forWriting: false)
            defer { try? database.close() }
            let inspected = try database.read { db -> (DatabaseState, Int, InterruptedRun?) in
                let state = try DatabaseInspector.state(of: db)
                let rows = try db.tableExists("memories") ? try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM memories") ?? 0 : 0
                var interrupted: InterruptedRun?
                if state == .partlyMigrated, let run = try MigrationJournal.currentRun(db), run.state == .running {
                    interrupted = InterruptedRun(runID: run.id, startedAt: run.startedAt, counts: try MigrationJournal.counts(db))
                }
                return (state, rows, interrupted)
            }
            (result.state, result.legacyRows, result.interruptedRun) = inspected
        } catch {
            result.checks.append(Check(name: .file, passed: false, detail: MigrationFile.map(error, path: file.path).operatorMessage))
            return result
        }
        switch result.state {
        case .legacy:
            result.checks.append(Check(name: .file, passed: true, detail: "legacy, \(result.legacyRows) memories to plan"))
        case .partlyMigrated where result.interruptedRun != nil:
            let counts = result.interruptedRun!.counts
            result.checks.append(Check(name: .file, passed: true, detail: "partly migrated: \(counts.accountedFor) of \(counts.total) rows done; the run can be resumed"))
        case .migrated:
            result.checks.append(Check(name: .file, passed: false, detail: "already migrated; there is nothing to send (verify it instead)"))
            return result
        default:
            result.checks.append(Check(name: .file, passed: false, detail: "\(result.state.summary); a migration needs the legacy schema"))
            return result
        }

        let folder = file.deletingLastPathComponent().path
        let folderPath = folder.isEmpty ? "." : folder
        if !FileAccess.isWritable(path: file.path) {
            result.checks.append(Check(name: .writable, passed: false, detail: MigrationError.readOnlyFile(path: file.path).operatorMessage))
        } else if !FileAccess.isWritable(path: folderPath) {
            result.checks.append(Check(name: .writable, passed: false, detail: MigrationError.directoryNotWritable(path: folderPath).operatorMessage))
        } else {
            result.checks.append(Check(name: .writable, passed: true, detail: "the file and \(folderPath) can be written"))
        }

        let size = ((try? FileManager.default.attributesOfItem(atPath: file.path)[.size]) as? NSNumber)?.int64Value ?? 0
        let free = ((try? FileManager.default.attributesOfFileSystem(forPath: folderPath)[.systemFreeSize]) as? NSNumber)?.int64Value
        // A backup is a full copy; SQLite's rollback journal and the new table need room too (a quarter is ample).
        let needed = (backup ? size : 0) + size / 4
        if let free, free < needed {
            result.checks.append(Check(name: .freeSpace, passed: false, detail: "\(free / 1_048_576) MiB free in \(folderPath), about \(needed / 1_048_576 + 1) MiB needed; free space or turn the backup off"))
        } else {
            result.checks.append(Check(name: .freeSpace, passed: true, detail: free.map { "\($0 / 1_048_576) MiB free, about \(needed / 1_048_576 + 1) MiB needed" } ?? "not measurable here"))
        }

        if result.checks.allSatisfy(\.passed) {
            do {
                let database = try MigrationFile.open(file, forWriting: true)
                defer { try? database.close() }
                try MigrationFile.checkWriteLock(database)
                result.checks.append(Check(name: .noOtherWriter, passed: true, detail: "no other program holds the write lock"))
            } catch {
                result.checks.append(Check(name: .noOtherWriter, passed: false, detail: MigrationFile.map(error, path: file.path).operatorMessage))
            }
        }

        guard let client else {
            result.checks.append(Check(name: .mem0Reachable, passed: false, detail: "Mem0 is not configured: set MEM0_API_KEY (and --mem0-url or MEM0_URL), then reopen"))
            return result
        }
        do {
            // The ping is authenticated in both dialects (/v1/ping/, /configure/providers): it proves the key too.
            let ping = try await client.ping()
            result.dialect = ping.dialect
            result.pingMilliseconds = ping.roundTrip.inSeconds * 1000
            result.checks.append(Check(name: .mem0Reachable, passed: true, detail: "\(client.configuration.endpointDescription), \(ping.dialect.rawValue), \(String(format: "%.0f", result.pingMilliseconds ?? 0)) ms"))
            result.checks.append(Check(name: .keyAccepted, passed: true, detail: client.configuration.apiKey == nil ? "no key sent (--no-api-key) and the server allowed it" : "an authenticated call succeeded"))
        } catch let error as Mem0Error {
            if error == .unauthorized || { if case .server(403, _, _) = error { return true }; return false }() {
                result.checks.append(Check(name: .mem0Reachable, passed: true, detail: client.configuration.endpointDescription))
                result.checks.append(Check(name: .keyAccepted, passed: false, detail: error.operatorMessage))
            } else {
                result.checks.append(Check(name: .mem0Reachable, passed: false, detail: error.operatorMessage))
            }
        } catch {
            result.checks.append(Check(name: .mem0Reachable, passed: false, detail: "\(error)"))
        }
        return result
    }
}
