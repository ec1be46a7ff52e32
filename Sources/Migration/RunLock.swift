import Foundation

/// An exclusive `flock` on `<file>.memconsole-logs/run.lock`: one migrate or rollback per file at a time.
///
/// SQLite's own locks cannot say this (a run commits in many short transactions); two runs at once could each
/// look a row up, find nothing, and both send it. The kernel drops the lock when the process dies, so `kill -9`
/// never leaves a stale lock.
final class RunLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    static func acquire(for file: URL) throws -> RunLock {
        let folder = RunLog.folder(for: file)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let path = folder.appendingPathComponent("run.lock").path
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw MigrationError.directoryNotWritable(path: folder.path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw MigrationError.runInProgress(path: file.path)
        }
        return RunLock(descriptor: fd)
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
