import Foundation
import TestSupport
import XCTest

/// Runs the real `memconsole mem0 …` binary against the real local Mem0 server: every command, every error class
/// and its exit code, and proof that the API key never shows up in any output or log.
final class Mem0CommandTests: XCTestCase {
    /// Everything the binary printed in this test, to search for keys at the end.
    private var outputs: [String] = []
    private var secrets: [String] = []

    private func run(_ arguments: [String], environment: [String: String] = [:], removing: [String] = [],
                     file: StaticString = #filePath, line: UInt = #line) throws -> ProcessOutput {
        let output = try runMemconsole(["mem0"] + arguments, environment: environment,
                                       removing: ["MEM0_URL", "MEM0_API_KEY"] + removing)
        outputs += [output.stdout, output.stderr]
        return output
    }

    override func tearDownWithError() throws {
        let server = try LocalMem0Server.shared()
        var texts = outputs
        XCTAssertFalse(server.logFiles().isEmpty, "the server's log files should be searched too")
        for log in server.logFiles() { texts.append((try? String(contentsOf: log, encoding: .utf8)) ?? "") }
        for secret in secrets + [server.apiKey] {
            for (index, text) in texts.enumerated() {
                XCTAssertFalse(text.contains(secret), "an API key appeared in output or log #\(index)")
            }
        }
    }

    private func serverEnvironment() throws -> [String: String] {
        let server = try LocalMem0Server.shared()
        secrets.append(server.apiKey)
        return server.environment
    }

    func testPingDetectsTheDialectAndReportsTheRoundTrip() throws {
        let environment = try serverEnvironment()
        let text = try run(["ping", "--verbose"], environment: environment)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("endpoint   \(environment["MEM0_URL"]!)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("dialect    platform (detected)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("round trip "), text.stdout)
        XCTAssertTrue(text.stderr.contains("request=GET /v1/ping/"), "--verbose logs each request: \(text.stderr)")

        let json = try run(["ping", "--dialect", "oss", "--json"], environment: environment)
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["dialect"] as? String, "oss")
        XCTAssertNotNil(object?["round_trip_ms"] as? Double)
    }

    func testSearchAndHistoryInBothDialects() throws {
        let environment = try serverEnvironment()
        let user = LocalMem0Server.uniqueUserID("cli-search")
        let bench = try run(["bench", "--count", "3", "--user", user, "--dialect", "oss"], environment: environment)
        XCTAssertEqual(bench.status, 0, bench.stderr)
        for dialect in ["platform", "oss"] {
            let json = try run(["search", "--user", user, "benchmark memory", "--json", "--dialect", dialect],
                               environment: environment)
            XCTAssertEqual(json.status, 0, json.stderr)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let results = try XCTUnwrap(object["results"] as? [[String: Any]])
            XCTAssertEqual(results.count, 3)
            let scores = results.compactMap { $0["score"] as? Double }
            XCTAssertEqual(scores.count, 3, "every result carries its score")
            XCTAssertEqual(scores, scores.sorted(by: >), "best first")
            let id = try XCTUnwrap(results.first?["id"] as? String)

            let history = try run(["history", id, "--json", "--dialect", dialect], environment: environment)
            XCTAssertEqual(history.status, 0, history.stderr)
            let events = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])?["events"]
                as? [[String: Any]])
            XCTAssertEqual(events.first?["event"] as? String, "ADD")
            XCTAssertEqual(events.first?["memory_id"] as? String, id)
            let text = try run(["history", id, "--dialect", dialect], environment: environment)
            XCTAssertTrue(text.stdout.contains("ADD"), text.stdout)
        }
        let none = try run(["history", "00000000-0000-4000-8000-000000000000"], environment: environment)
        XCTAssertEqual(none.status, 0)
        XCTAssertTrue(none.stdout.contains("no history"), none.stdout)
    }

    func testListShowsAUsersMemoriesAsTextAndJSONInBothDialects() throws {
        let environment = try serverEnvironment()
        let user = LocalMem0Server.uniqueUserID("cli-list")
        // The hidden bench command writes real memories through the same client.
        let bench = try run(["bench", "--count", "3", "--user", user, "--dialect", "oss"], environment: environment)
        XCTAssertEqual(bench.status, 0, bench.stderr)
        XCTAssertTrue(bench.stdout.contains("add dialect=oss concurrency=1 count=3"), bench.stdout)

        for dialect in ["platform", "oss"] {
            let text = try run(["list", "--user", user, "--dialect", dialect], environment: environment)
            XCTAssertEqual(text.status, 0, text.stderr)
            XCTAssertTrue(text.stdout.contains("3 memories of user \(user)"), text.stdout)
            XCTAssertEqual(text.stdout.components(separatedBy: "benchmark memory").count - 1, 3, text.stdout)

            let json = try run(["list", "--user", user, "--json", "--dialect", dialect], environment: environment)
            XCTAssertEqual(json.status, 0, json.stderr)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let memories = try XCTUnwrap(object["memories"] as? [[String: Any]])
            XCTAssertEqual(memories.count, 3)
            XCTAssertEqual(object["truncated"] as? Bool, false)
            XCTAssertEqual(Set(memories.compactMap { ($0["metadata"] as? [String: Any])?["legacy_id"] as? Int }), [0, 1, 2])
            XCTAssertTrue(memories.allSatisfy { $0["user_id"] as? String == user })
        }

        let empty = try run(["list", "--user", LocalMem0Server.uniqueUserID("nobody")], environment: environment)
        XCTAssertEqual(empty.status, 0)
        XCTAssertTrue(empty.stdout.contains("0 memories"))
    }

    func testTheKeyCanComeFromAFile() throws {
        let environment = try serverEnvironment()
        let folder = try makeTemporaryDirectory("mem0-key")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyFile = folder.appendingPathComponent("key")
        try (environment["MEM0_API_KEY"]! + "\n").write(to: keyFile, atomically: true, encoding: .utf8)
        let output = try run(["ping", "--api-key-file", keyFile.path, "--mem0-url", environment["MEM0_URL"]!])
        XCTAssertEqual(output.status, 0, output.stderr)

        let missing = try run(["ping", "--api-key-file", folder.appendingPathComponent("nope").path,
                               "--mem0-url", environment["MEM0_URL"]!])
        XCTAssertEqual(missing.status, 78)
        XCTAssertTrue(missing.stderr.contains("Cannot read the API key file"), missing.stderr)
    }

    /// One line on stderr saying what to do, and the exit code of the error's class.
    func testEveryErrorClassHasItsMessageAndExitCode() throws {
        let environment = try serverEnvironment()
        let server = try LocalMem0Server.shared()
        let wrongKey = "mc-wrong-key-\(UUID().uuidString)"
        secrets.append(wrongKey)
        var wrong = environment
        wrong["MEM0_API_KEY"] = wrongKey

        func expect(_ arguments: [String], _ environment: [String: String], status: Int32, saying phrase: String,
                    line: UInt = #line) throws {
            let output = try run(arguments, environment: environment)
            XCTAssertEqual(output.status, status, "\(arguments): \(output.stderr)", line: line)
            XCTAssertTrue(output.stderr.contains(phrase), "\(arguments): \(output.stderr)", line: line)
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, "one line: \(output.stderr)", line: line)
            XCTAssertEqual(output.stdout, "", line: line)
        }

        for dialect in ["auto", "platform", "oss"] {
            try expect(["ping", "--dialect", dialect], wrong, status: 77, saying: "rejected the API key")
            let verbose = try run(["ping", "--dialect", dialect, "--verbose"], environment: wrong)
            XCTAssertEqual(verbose.status, 77)
            XCTAssertTrue(verbose.stderr.contains("error=unauthorized"), verbose.stderr)
            try expect(["list", "--user", "u", "--dialect", dialect], wrong, status: 77, saying: "rejected the API key")
        }
        var noKey = environment
        noKey.removeValue(forKey: "MEM0_API_KEY")
        try expect(["ping"], noKey, status: 78, saying: "No Mem0 API key")
        try expect(["ping", "--mem0-url", "ftp://example.com"], environment, status: 78, saying: "is not an http(s) URL")
        try expect(["ping", "--mem0-url", "http://127.0.0.1:1"], environment, status: 69,
                   saying: "Cannot reach Mem0 at 127.0.0.1:1")
        try expect(["ping", "--mem0-url", environment["MEM0_URL"]! + "/not-mem0"], environment, status: 76,
                   saying: "neither /v1/ping/")
        try expect(["ping", "--timeout=-1"], environment, status: 78, saying: "--timeout")

        let stalling = try server.startProxy(["--stall-rate", "1", "--stall-seconds", "20"])
        try expect(["ping", "--timeout", "1", "--mem0-url", stalling.url.absoluteString], environment, status: 75,
                   saying: "did not answer in time")

        let limited = try server.startProxy(["--rate-per-minute", "2", "--rate-paths", "add"])
        try expect(["bench", "--count", "5", "--dialect", "oss", "--mem0-url", limited.url.absoluteString], environment,
                   status: 75, saying: "rate-limiting requests")

        let usage = try run(["ping", "--dialect", "klingon"], environment: environment)
        XCTAssertEqual(usage.status, 64)
        let noUser = try run(["list"], environment: environment)
        XCTAssertEqual(noUser.status, 64)
    }
}
