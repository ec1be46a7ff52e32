import ConsoleCore
import Mem0Client
import Storage

/// The status line's facts: file, state, Mem0 endpoint and dialect (never the key).
enum StatusBuilder {
    static func status(path: String, state: DatabaseState, mem0: Mem0Client?) -> StatusInfo {
        StatusInfo(filePath: path, fileState: fileState(state),
                   mem0Endpoint: mem0?.configuration.endpointDescription,
                   mem0Dialect: mem0?.configuration.dialect.rawValue, isReadOnly: true)
    }

    static func fileState(_ state: DatabaseState) -> StatusInfo.FileState {
        switch state {
        case .legacy: return .legacy
        case .migrated: return .migrated
        case .partlyMigrated: return .partlyMigrated
        case .empty, .emptyFile: return .empty
        default: return .unknown
        }
    }
}
