import ConsoleCore
import Foundation

/// Appends one line per event read and per frame drawn, for `scripts/bench-console.sh` (`MEMCONSOLE_TRACE_FRAMES=path`).
///
/// Lines: `start <t>`, `key <t> <name>`, `frame <t> <queued>` where `t` is monotonic microseconds and `queued` is
/// the number of events read but not yet applied when the frame was drawn (0: the frame shows every key so far).
/// Off unless the variable is set; then one small unbuffered write per event, negligible next to a frame.
final class FrameTrace: RunLoopObserver {
    private let handle: FileHandle?

    init(environment: [String: String]) {
        if let path = environment["MEMCONSOLE_TRACE_FRAMES"], !path.isEmpty {
            FileManager.default.createFile(atPath: path, contents: nil)
            handle = FileHandle(forWritingAtPath: path)
        } else {
            handle = nil
        }
        record("start \(Self.now())")
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds / 1_000 }

    func eventRead(_ event: TerminalEvent) {
        switch event {
        case .key(let key): record("key \(Self.now()) \(key)")
        case .resize: record("key \(Self.now()) resize")
        case .wheel: record("key \(Self.now()) wheel")
        }
    }

    func frameDrawn(pendingEvents: Int) { record("frame \(Self.now()) \(pendingEvents)") }

    private func record(_ line: @autoclosure () -> String) {
        guard let handle else { return }
        handle.write(Data((line() + "\n").utf8))
    }
}
