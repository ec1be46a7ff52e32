import ArgumentParser
import Foundation
import GRDB
import Storage

/// Where a command finds the database when no path is given: `--database`, then `$MEMCONSOLE_DATABASE`, then
/// `./memconsole.db` (the file name the chat assistant's own init script used).
enum DatabasePath {
    static let environmentVariable = "MEMCONSOLE_DATABASE"
    static let fallback = "memconsole.db"

    static func resolve(_ explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = ProcessInfo.processInfo.environment[environmentVariable], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return fallback
    }
}

/// `memconsole init`: plan step 2.5 (/work/shared/spec/000_bfc2f0b03bd6db9b.txt, STEP 2.5), a new database with the current schema and no sample memories.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a database with the current schema (memories_metadata linking to Mem0).",
        discussion: """
            Creates the tables of schema/current.sql in a new or empty file and inserts no sample memories: memory \
            content lives in Mem0, which is set up separately. A legacy file is refused (migrate it instead); a file \
            that already holds the current schema is left unchanged. Warns when MEM0_API_KEY is not set.
            """)

    @Option(name: .long, help: ArgumentHelp("The database file.", discussion: """
        Default: $MEMCONSOLE_DATABASE, else ./memconsole.db. A missing file is created; a 0-byte file counts as empty.
        """, valueName: "path"))
    var database: String?

    func run() throws {
        try reportingErrors {
            let path = DatabasePath.resolve(database)
            let created = try Initializer.initialize(path: path)
            if created.isEmpty {
                print("\(path) already holds the current schema (memories_metadata linking to Mem0); nothing changed.")
            } else {
                print("Initialised \(path) with the current schema (memory metadata linked to Mem0).")
                print("  tables:  \(created.tables.joined(separator: ", "))")
                print("  indexes: \(created.indexes.joined(separator: ", "))")
                print("No sample memories were inserted: memory content lives in Mem0, which is initialised separately.")
                print("Database ready for Mem0 integration.")
            }
            Initializer.checkMem0Configuration()
        }
    }
}

/// The steps of `init`, apart from printing.
enum Initializer {
    struct Created { var tables: [String] = []; var indexes: [String] = []; var isEmpty: Bool { tables.isEmpty } }

    /// Creates the current schema at `path` unless it is already there. Refuses anything that is not empty.
    static func initialize(path: String) throws(StorageError) -> Created {
        let existed = FileManager.default.fileExists(atPath: path)
        if existed {
            switch try DatabaseInspector.inspect(path: path) {
            case .empty, .emptyFile: break
            case .migrated: return Created()
            case .legacy: throw .legacyDatabase(path: path)
            case .partlyMigrated: throw .partlyMigrated(path: path)
            case .foreignSchema:
                let inspection = try DatabaseInspector.inspection(path: path, countingRows: false)
                throw .foreignSchema(path: path, missingTables: inspection.missingCoreTables)
            case .notSQLite: throw .notSQLite(path: path)
            case .corrupt(let detail): throw .corrupt(path: path, detail: detail)
            }
        }
        var succeeded = false
        defer { if !existed && !succeeded { try? FileManager.default.removeItem(atPath: path) } }
        let database = try AppDatabase.open(at: path, mode: existed ? .readWrite : .create)
        let created: Created = try database.write { db in
            // Checked again inside the write lock: another process may have written since the inspection.
            let state = try DatabaseInspector.state(of: db)
            guard state == .empty else {
                throw state == .migrated ? StorageError.alreadyMigrated(path: path) : StorageError.legacyDatabase(path: path)
            }
            try StorageSchema.createCurrentSchema(in: db)
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid
                """)
            let indexes = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid
                """)
            return Created(tables: tables, indexes: indexes)
        }
        try database.close()
        succeeded = true
        return created
    }

    /// Plan 2.5's configuration check: warn (never fail) when MEM0_API_KEY is unset; never print the key.
    static func checkMem0Configuration() {
        let key = ProcessInfo.processInfo.environment["MEM0_API_KEY"] ?? ""
        if key.trimmingCharacters(in: .whitespaces).isEmpty {
            printWarning("MEM0_API_KEY is not set. The database is ready, but `memconsole migrate` and `memconsole mem0` "
                         + "need Mem0: export MEM0_API_KEY=<your key>, or point them at a local Mem0 server.")
        } else {
            print("Mem0: MEM0_API_KEY is set.")
        }
    }
}
