import ArgumentParser
import Foundation
import Mem0Client

// Mem0's errors at the CLI edge: one line (the error's `operatorMessage`, which never holds the key) and the exit
// status of its class from `ExitStatus` (sysexits.h values; docs/mem0-client.md lists them). Conforming here lets
// every command's `reportingErrors` / `exitCode(for:)` report them the same way.
extension Mem0Error: CLIReportable {
    var cliMessage: String { operatorMessage }

    var exitStatus: ExitStatus {
        switch self {
        case .unauthorized: return .mem0Unauthorized
        case .rateLimited, .timeout, .connectionLost: return .mem0TryLater
        case .unreachable: return .mem0Unavailable
        case .server(let status, _, _):
            if status >= 500 { return .mem0Unavailable }
            // The hosted Platform's own client treats 403 as an authentication error (mem0-api.md A.15).
            return status == 403 ? .mem0Unauthorized : .mem0RequestRefused
        case .badResponse: return .mem0BadResponse
        }
    }
}

extension Mem0OptionsError: CLIReportable {
    var cliMessage: String { operatorMessage }
    var exitStatus: ExitStatus { .configuration }
}
