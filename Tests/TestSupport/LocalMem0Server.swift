import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The project's local Mem0 server (real `mem0ai`, both dialects on one port), started once per test process.
///
/// The first `LocalMem0Server.shared()` runs `scripts/mem0-local start` with a fresh data folder and a random,
/// distinctive key; every later call returns the same server. It is stopped (and its folder removed) when the test
/// process exits. Tests stay independent by using fresh user ids (`uniqueUserID`), never by resetting the store.
/// If the server cannot start, `shared()` throws with the script's own message: a test that needs Mem0 then fails,
/// it is never skipped.
public final class LocalMem0Server: Sendable {
    /// `http://127.0.0.1:PORT`: the server itself, for both dialects.
    public let url: URL
    /// The key the server accepts (`Authorization: Token` or `X-API-Key`). Random per process and distinctive, so a
    /// test can search any output for it.
    public let apiKey: String
    /// The server's data folder (qdrant store, history.db, server.log, proxy logs).
    public let dataDirectory: URL

    private init(url: URL, apiKey: String, dataDirectory: URL) {
        self.url = url
        self.apiKey = apiKey
        self.dataDirectory = dataDirectory
    }

    private static let started: Result<LocalMem0Server, LocalMem0ServerError> = {
        do { return .success(try start()) } catch let error as LocalMem0ServerError {
            return .failure(error)
        } catch {
            return .failure(LocalMem0ServerError(message: "\(error)"))
        }
    }()

    /// The one server of this process, started on first use (first start builds the venv: allow a minute).
    public static func shared() throws -> LocalMem0Server { try started.get() }

    /// Environment for running the `memconsole` binary against this server.
    public var environment: [String: String] { ["MEM0_URL": url.absoluteString, "MEM0_API_KEY": apiKey] }

    /// A user id no other test (or earlier run) uses.
    public static func uniqueUserID(_ label: String = "test") -> String {
        "\(label)-\(UUID().uuidString.prefix(13).lowercased())"
    }

    private static func start() throws -> LocalMem0Server {
        let script = repositoryRoot.appendingPathComponent("scripts/mem0-local")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            throw LocalMem0ServerError(message: "\(script.path) is missing or not executable")
        }
        let data = try makeTemporaryDirectory("mem0-local")
        let key = "mc-test-key-\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        var environment = ProcessInfo.processInfo.environment
        environment["MEM0_API_KEY"] = key
        let output = try runScript(script, ["start", "--data", data.path], environment: environment)
        let line = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard output.status == 0, let url = URL(string: line), url.host != nil else {
            try? FileManager.default.removeItem(at: data)
            throw LocalMem0ServerError(message: "scripts/mem0-local start failed (exit \(output.status)): "
                                       + output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        Cleanup.register { _ = try? runScript(script, ["stop", "--data", data.path]) }
        Cleanup.registerLast({ try? FileManager.default.removeItem(at: data) })
        return LocalMem0Server(url: url, apiKey: key, dataDirectory: data)
    }

    /// Starts a fault proxy in front of this server (`scripts/fault_proxy.py` options, e.g. `["--latency-ms", "80"]`),
    /// stopped by `stop()` or at process exit.
    public func startProxy(_ options: [String] = []) throws -> FaultProxy {
        let name = "proxy-\(UUID().uuidString.prefix(8).lowercased())"
        let script = repositoryRoot.appendingPathComponent("scripts/mem0-local")
        let arguments = ["proxy", "start", "--data", dataDirectory.path, "--upstream", url.absoluteString,
                         "--name", name] + options
        let output = try runScript(script, arguments)
        let line = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard output.status == 0, let proxyURL = URL(string: line), proxyURL.host != nil else {
            throw LocalMem0ServerError(message: "scripts/mem0-local proxy start failed (exit \(output.status)): "
                                       + output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let proxy = FaultProxy(url: proxyURL, name: name, dataDirectory: dataDirectory)
        Cleanup.register { proxy.forceKill() }
        return proxy
    }

    /// The exact number of memories the store holds for a user (test-only route `/__test/stats`, a full scan).
    public func storedCount(userID: String) throws -> Int {
        var components = URLComponents(url: url.appendingPathComponent("__test/stats"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "user_id", value: userID)]
        let body = try SimpleHTTP.send(method: "GET", url: components.url!,
                                       headers: ["Authorization": "Token \(apiKey)"])
        let json = try JSONSerialization.jsonObject(with: body)
        guard let object = json as? [String: Any] else {
            throw LocalMem0ServerError(message: "/__test/stats answered \(String(decoding: body, as: UTF8.self))")
        }
        for key in ["count", "total", "memories"] {
            if let count = object[key] as? Int { return count }
        }
        if let users = object["users"] as? [String: Any], let count = users[userID] as? Int { return count }
        if object["users"] is [String: Any] { return 0 }
        throw LocalMem0ServerError(message: "/__test/stats has no count: \(String(decoding: body, as: UTF8.self))")
    }

    /// Every log file the server and its proxies wrote (for tests proving the key never lands in a log).
    public func logFiles() -> [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(at: dataDirectory, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "log" }
    }
}

/// A running fault proxy; its settings change at run time through `/__proxy/config`.
public final class FaultProxy: Sendable {
    public let url: URL
    let name: String
    let dataDirectory: URL

    init(url: URL, name: String, dataDirectory: URL) {
        self.url = url
        self.name = name
        self.dataDirectory = dataDirectory
    }

    /// Changes settings, e.g. `["rate_per_minute": 60, "rate_paths": "all"]`; returns the proxy's new settings.
    @discardableResult
    public func configure(_ settings: [String: Any]) throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: settings)
        let answer = try SimpleHTTP.send(method: "POST", url: url.appendingPathComponent("__proxy/config"),
                                         headers: ["Content-Type": "application/json"], body: body)
        return (try JSONSerialization.jsonObject(with: answer) as? [String: Any]) ?? [:]
    }

    /// `{"requests","forwarded","rate_limited","errors_injected","drops","stalls","upstream_failures"}`.
    public func stats() throws -> [String: Int] {
        let answer = try SimpleHTTP.send(method: "GET", url: url.appendingPathComponent("__proxy/stats"))
        let object = (try JSONSerialization.jsonObject(with: answer) as? [String: Any]) ?? [:]
        return object.compactMapValues { $0 as? Int }
    }

    /// At process exit: the proxy only fakes faults, so there is nothing to shut down gracefully, and a graceful stop
    /// waits for every open keep-alive connection (seconds per proxy).
    func forceKill() {
        let pidFile = dataDirectory.appendingPathComponent("\(name).pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { return }
        _ = kill(pid, SIGKILL)
    }

    public func stop() {
        let script = repositoryRoot.appendingPathComponent("scripts/mem0-local")
        _ = try? runScript(script, ["proxy", "stop", "--data", dataDirectory.path, "--name", name])
    }
}

public struct LocalMem0ServerError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { "local Mem0 server: \(message)" }
}

/// A blocking HTTP call for fixture housekeeping only (the product's client is under test, so it is not used here).
enum SimpleHTTP {
    static func send(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) throws -> Data {
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        final class Box: @unchecked Sendable { var result: Result<Data, Error> = .success(Data()) }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                box.result = .failure(error)
            } else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                let text = String(decoding: data ?? Data(), as: UTF8.self)
                box.result = .failure(LocalMem0ServerError(message: "\(method) \(url.path) → \(http.statusCode) \(text)"))
            } else {
                box.result = .success(data ?? Data())
            }
            done.signal()
        }.resume()
        done.wait()
        return try box.result.get()
    }
}

/// Work to do when the test process exits: stop servers and proxies, then remove their folders.
enum Cleanup {
    nonisolated(unsafe) private static var actions: [() -> Void] = []
    nonisolated(unsafe) private static var lastActions: [() -> Void] = []
    private static let lock = NSLock()
    private static let installed: Bool = {
        atexit { Cleanup.runAll() }
        return true
    }()

    static func register(_ action: @escaping () -> Void) {
        _ = installed
        lock.lock(); actions.append(action); lock.unlock()
    }

    static func registerLast(_ action: @escaping () -> Void) {
        _ = installed
        lock.lock(); lastActions.append(action); lock.unlock()
    }

    static func runAll() {
        lock.lock()
        let now = actions.reversed() + lastActions
        actions = []
        lastActions = []
        lock.unlock()
        for action in now { action() }
    }
}

/// Runs a script to completion with posix_spawn and waitpid, its output going to temporary files.
///
/// Not `Foundation.Process`: `scripts/mem0-local start` leaves a daemon behind (setsid), and on Linux
/// `Process.waitUntilExit` was seen to hang forever on the exited script (a zombie never reaped) when called
/// from an async test. A plain `waitpid` on the one child cannot miss its exit.
public func runScript(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> ProcessOutput {
    let folder = try makeTemporaryDirectory("mem0-script")
    defer { try? FileManager.default.removeItem(at: folder) }
    let outPath = folder.appendingPathComponent("stdout").path
    let errPath = folder.appendingPathComponent("stderr").path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let environmentStrings = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { environmentStrings.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = withCleanSignalAttributes { posix_spawn(&pid, executable.path, &actions, &$0, argv, environmentStrings) }
    guard spawned == 0 else {
        throw LocalMem0ServerError(message: "cannot run \(executable.path): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return ProcessOutput(status: exitCode, stdout: stdout, stderr: stderr)
}

/// A helper process a test starts and ends itself (e.g. a TLS front for the CA-file test), spawned without
/// `Foundation.Process` for the same reason as `runScript`. Its output goes to `/dev/null`.
public final class BackgroundProcess: Sendable {
    public let pid: pid_t

    public init(_ executable: String, _ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = withCleanSignalAttributes { posix_spawnp(&pid, executable, &actions, &$0, argv, environment) }
        guard spawned == 0 else {
            throw LocalMem0ServerError(message: "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        let started = pid
        Cleanup.register { _ = kill(started, SIGKILL) }
    }

    /// Ends the process and reaps it.
    public func stop() {
        _ = kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
}

/// Spawn attributes that give the child a clean signal state. A test process may have signals blocked or ignored
/// (and posix_spawn passes both on), which left children deaf to SIGTERM: `stop` then waited for a SIGKILL.
private func withCleanSignalAttributes<Result>(_ body: (inout posix_spawnattr_t) -> Result) -> Result {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    return body(&attributes)
}
