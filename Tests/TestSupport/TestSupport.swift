import Foundation

/// Where the repository lives, found from this file's path so tests work from any working directory.
public let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh directory under the system temp folder, removed by the caller when it wants.
public func makeTemporaryDirectory(_ label: String = "memconsole") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// What a finished process left behind.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs an executable to completion, collecting stdout and stderr (both drained concurrently so large output never blocks).
@discardableResult
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                       currentDirectory: URL? = nil) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    final class Box: @unchecked Sendable { var data = Data() }
    let outBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let outData = outBox.data
    process.waitUntilExit()
    return ProcessOutput(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// The `memconsole` binary built next to the test bundle (`swift test` builds it as a product of the package).
public var memconsoleBinary: URL {
    // The xctest bundle lives in the build products directory, beside the executable.
    let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    return products.appendingPathComponent("memconsole")
}

/// Runs the real `memconsole` binary with the given arguments and environment additions.
@discardableResult
public func runMemconsole(_ arguments: [String], environment extra: [String: String] = [:],
                          removing removed: [String] = []) throws -> ProcessOutput {
    var environment = ProcessInfo.processInfo.environment
    for key in removed { environment.removeValue(forKey: key) }
    environment.merge(extra) { _, new in new }
    return try runProcess(memconsoleBinary, arguments, environment: environment)
}

/// SHA-256-free content fingerprint good enough to prove a file did not change: size plus the bytes themselves.
public func fileFingerprint(_ url: URL) -> Data? { try? Data(contentsOf: url) }
