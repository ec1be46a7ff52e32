import ArgumentParser
import Foundation
import Storage

/// An error the CLI reports as one line on stderr plus an exit status from `ExitStatus`.
///
/// Modules' typed errors conform here (or in their command's file) so the mapping error → (message, status) stays
/// at the CLI edge and in one shape; `reportingErrors` does the printing.
protocol CLIReportable: Error {
    /// One line: what is wrong and what to do. Never contains a secret.
    var cliMessage: String { get }
    var exitStatus: ExitStatus { get }
}

extension StorageError: CLIReportable {
    var cliMessage: String { operatorMessage }

    var exitStatus: ExitStatus {
        switch self {
        case .fileNotFound: return .fileNotFound
        case .isDirectory: return .isDirectory
        case .notSQLite: return .notSQLite
        case .corrupt: return .corrupt
        case .locked: return .locked
        case .readOnly: return .readOnly
        case .foreignSchema: return .foreignSchema
        case .legacyDatabase: return .legacyDatabase
        case .partlyMigrated: return .partlyMigrated
        case .alreadyMigrated: return .alreadyMigrated
        case .fileExists: return .fileExists
        case .cannotCreate: return .cannotCreate
        case .constraintViolation: return .constraintViolation
        case .rowNotFound: return .rowNotFound
        case .sqlite: return .sqliteFailure
        }
    }
}

/// Writes the line on stderr with the `memconsole:` prefix.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("memconsole: error: \(message)\n".utf8))
}

/// Writes a warning line on stderr (the command still succeeds).
func printWarning(_ message: String) {
    FileHandle.standardError.write(Data("memconsole: warning: \(message)\n".utf8))
}

/// Runs a command body; a `CLIReportable` error becomes its one-line message and exit status. Errors of
/// swift-argument-parser (`ExitCode`, validation) pass through; anything else is reported as an internal error.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw exitCode(for: error)
    }
}

/// The async form of `reportingErrors`.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw exitCode(for: error)
    }
}

/// Prints `error` (when memconsole owns its message) and returns what to throw from `run()`.
func exitCode(for error: any Error) -> any Error {
    switch error {
    case let error as CLIReportable:
        printError(error.cliMessage)
        return error.exitStatus.exitCode
    case is ExitCode, is CleanExit, is ValidationError:
        return error
    default:
        printError("unexpected failure (\(type(of: error))): \(error.localizedDescription). Please report it.")
        return ExitStatus.internalError.exitCode
    }
}

/// Runs `handler` on SIGINT instead of the default (terminate): `true` for the first Ctrl-C, `false` after.
/// Long commands use it to stop cleanly; `cancel()` puts the default back.
final class InterruptHandler: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private var count = 0

    init(_ handler: @escaping @Sendable (_ first: Bool) -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [unowned self] in
            count += 1
            handler(count == 1)
        }
        source.resume()
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
