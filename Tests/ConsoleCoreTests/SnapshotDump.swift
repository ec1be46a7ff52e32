import Foundation

/// Writes each actual screen to `$CONSOLE_SNAPSHOT_DUMP/<line>.txt` when that variable is set, so a deliberate
/// layout change can be reviewed as a diff of whole screens (and the literals updated) instead of retyped by hand.
/// Without the variable it does nothing, and the tests compare as usual.
enum SnapshotDump {
    static func write(_ text: String, line: Int) {
        guard let dir = ProcessInfo.processInfo.environment["CONSOLE_SNAPSHOT_DUMP"], !dir.isEmpty else { return }
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try? text.write(toFile: "\(dir)/\(line).txt", atomically: true, encoding: .utf8)
    }
}
