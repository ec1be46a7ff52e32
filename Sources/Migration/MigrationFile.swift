import Foundation
import GRDB
import Mem0Client
import Storage

/// Opening the database for a migration, verification or rollback, with the checks that must pass before anything
/// changes: the file exists and is SQLite, it and its folder are writable, and no other program holds its write lock.
enum MigrationFile {
    static func open(_ url: URL, forWriting: Bool) throws -> AppDatabase {
        do {
            if forWriting {
                let folder = url.deletingLastPathComponent().path
                if FileManager.default.fileExists(atPath: url.path), !FileAccess.isWritable(path: folder.isEmpty ? "." : folder) {
                    throw MigrationError.directoryNotWritable(path: folder)
                }
            }
            return try AppDatabase.open(at: url.path, mode: forWriting ? .readWrite : .readOnly, busyTimeout: 2)
        } catch let error as StorageError {
            throw map(error)
        }
    }

    /// Fails with `.locked` when another connection holds (or is taking) the write lock.
    static func checkWriteLock(_ database: AppDatabase) throws {
        do {
            try database.writer.inDatabase { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "ROLLBACK")
            }
        } catch let error as DatabaseError {
            throw map(StorageError(error, path: database.path))
        }
    }

    static func state(_ database: AppDatabase) throws -> DatabaseState {
        do { return try database.state() } catch { throw map(error) }
    }

    /// Refuses a file that is not the chat app's (not SQLite, damaged, foreign) with Storage's own error, so
    /// `verify` and `rollback` report it exactly as `info` and `migrate` do.
    static func requireChatDatabase(_ database: AppDatabase, path: String) throws {
        let state = try state(database)
        switch state {
        case .notSQLite, .corrupt, .foreignSchema:
            let missing = (try? database.read { db in try StorageSchema.coreTables.filter { !(try db.tableExists($0)) } }) ?? []
            throw refusal(for: state, path: path, missingTables: missing)
        default:
            return
        }
    }

    static func map(_ error: StorageError) -> MigrationError {
        switch error {
        case .fileNotFound(let path): return .fileNotFound(path: path)
        case .readOnly(let path): return .readOnlyFile(path: path)
        case .locked(let path): return .locked(path: path)
        default: return .storage(error)
        }
    }

    /// A file whose state is not one a migration can start from, as Storage's own error (the same one `info` gives).
    static func refusal(for state: DatabaseState, path: String, missingTables: [String]) -> MigrationError {
        switch state {
        case .notSQLite: return .storage(.notSQLite(path: path))
        case .corrupt(let detail): return .storage(.corrupt(path: path, detail: detail))
        case .foreignSchema: return .storage(.foreignSchema(path: path, missingTables: missingTables))
        default: return .notLegacy(path: path, detail: state.summary)
        }
    }

    static func map(_ error: any Error, path: String) -> MigrationError {
        if let error = error as? MigrationError { return error }
        if let error = error as? StorageError { return map(error) }
        if error is CancellationError { return .cancelled(path: path) }
        if let error = error as? Mem0Error { return .mem0(error, context: "") }
        if let error = error as? DatabaseError { return map(StorageError(error, path: path)) }
        return .database("\(error)")
    }


    /// `20261125T125500Z-4f2a`: sortable, unique enough for one file, safe in a file name.
    static func newRunID() -> String {
        let t = ISOTime.string(from: Date())   // 2026-11-25T12:55:00.123456+00:00
        let compact = t.prefix(19).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        return compact + "Z-" + String(UInt16.random(in: 0...UInt16.max), radix: 16)
    }
}
