import ArgumentParser
import Foundation
import Mem0Client

// Exit codes of the `mem0` commands (sysexits.h values, so scripts can tell the classes apart). To be merged into
// the CLI's shared error → exit-code mapping once it exists; docs/mem0-client.md lists them.
extension Mem0Error {
    var exitCode: Int32 {
        switch self {
        case .unauthorized: return 77  // EX_NOPERM
        case .rateLimited, .timeout, .connectionLost: return 75  // EX_TEMPFAIL: try again later
        case .unreachable: return 69  // EX_UNAVAILABLE
        case .server(let status, _, _): return status >= 500 ? 69 : 65  // server down / request refused (EX_DATAERR)
        case .badResponse: return 76  // EX_PROTOCOL
        }
    }
}

extension Mem0OptionsError {
    var exitCode: Int32 { 78 }  // EX_CONFIG
}

/// Prints the error's one-line message on stderr and exits with its class's code; anything else is rethrown.
func exitForMem0Failure(_ error: Error) throws -> Never {
    let message: String
    let code: Int32
    switch error {
    case let error as Mem0Error:
        message = error.operatorMessage
        code = error.exitCode
    case let error as Mem0OptionsError:
        message = error.operatorMessage
        code = error.exitCode
    default:
        throw error
    }
    FileHandle.standardError.write(Data("memconsole: \(message)\n".utf8))
    throw ExitCode(code)
}
