import Foundation

/// Appends one line per key read and per frame drawn, for `scripts/bench-console.sh` (`MEMCONSOLE_TRACE_FRAMES=path`).
///
/// Lines: `start <t>`, `key <t> <name>`, `frame <t> <busy>` where `t` is monotonic microseconds and `busy` is the
/// number of effects still running when the frame was drawn (a frame with busy 0 after a key is that key's finished
/// frame). Off unless the variable is set; then one small unbuffered write per event, negligible next to a frame.
final class FrameTrace {
    private let handle: FileHandle?

    init(environment: [String: String]) {
        if let path = environment["MEMCONSOLE_TRACE_FRAMES"], !path.isEmpty {
            FileManager.default.createFile(atPath: path, contents: nil)
            handle = FileHandle(forWritingAtPath: path)
        } else {
            handle = nil
        }
    }

    var isEnabled: Bool { handle != nil }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds / 1_000 }

    func record(_ line: @autoclosure () -> String) {
        guard let handle else { return }
        handle.write(Data((line() + "\n").utf8))
    }
}
