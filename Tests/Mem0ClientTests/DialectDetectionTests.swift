import Foundation
@testable import Mem0Client
import XCTest

/// The `.auto` fallback from the Platform probe to the OSS probe. The local Mem0 server speaks both dialects, so it
/// can never answer 404 to `/v1/ping/`; this tiny in-process HTTP responder stands in for a real OSS server (and a
/// non-Mem0 server) for this one piece of decision logic. Everything else is proven against the real server.
final class DialectDetectionTests: XCTestCase {
    func testA404OnThePlatformProbeFallsBackToOSS() async throws {
        let responder = try CannedHTTPResponder(["/v1/ping/": 404, "/configure/providers": 200])
        let ping = try await client(responder).ping()
        XCTAssertEqual(ping.dialect, .oss)
        XCTAssertEqual(responder.paths, ["/v1/ping/", "/configure/providers"])
        XCTAssertEqual(responder.headers.last?["x-api-key"], "k-123", "the OSS probe authenticates with X-API-Key")
    }

    func testA401OnThePlatformProbeIsUnauthorizedWithoutTryingOSS() async throws {
        let responder = try CannedHTTPResponder(["/v1/ping/": 401, "/configure/providers": 200])
        do {
            _ = try await client(responder).ping()
            XCTFail("a 401 was accepted")
        } catch let error as Mem0Error {
            XCTAssertEqual(error, .unauthorized)
        }
        XCTAssertEqual(responder.paths, ["/v1/ping/"])
    }

    func testNeitherProbeIsABadResponse() async throws {
        let responder = try CannedHTTPResponder([:])
        do {
            _ = try await client(responder).ping()
            XCTFail("a server of neither dialect was accepted")
        } catch let error as Mem0Error {
            guard case .badResponse = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(responder.paths, ["/v1/ping/", "/configure/providers"])
    }

    private func client(_ responder: CannedHTTPResponder) -> Mem0Client {
        Mem0Client(configuration: Mem0Configuration(baseURL: responder.url, dialect: .auto, apiKey: APIKey("k-123")!,
                                                    retryPolicy: .none))
    }
}

/// Answers each request with a fixed status per path (404 for any other path) and a `{}` body; records what it saw.
final class CannedHTTPResponder: @unchecked Sendable {
    let url: URL
    private let statuses: [String: Int]
    private let socket: Int32
    private let lock = NSLock()
    private var seenPaths: [String] = []
    private var seenHeaders: [[String: String]] = []

    var paths: [String] { lock.lock(); defer { lock.unlock() }; return seenPaths }
    var headers: [[String: String]] { lock.lock(); defer { lock.unlock() }; return seenHeaders }

    init(_ statuses: [String: Int]) throws {
        self.statuses = statuses
        #if canImport(Glibc)
        let fd = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = Foundation.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0
                && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        socket = fd
        guard bound else { close(fd); throw POSIXError(.EADDRINUSE) }
        url = URL(string: "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))")!
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    deinit { close(socket) }

    private func serve() {
        while true {
            let connection = accept(socket, nil, nil)
            if connection < 0 { return }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var request = ""
            while !request.contains("\r\n\r\n") {
                let count = read(connection, &buffer, buffer.count)
                if count <= 0 { break }
                request += String(decoding: buffer[0..<count], as: UTF8.self)
            }
            let lines = request.components(separatedBy: "\r\n")
            let path = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            lock.lock(); seenPaths.append(path); seenHeaders.append(headers); lock.unlock()
            let status = statuses[path] ?? 404
            let response = "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
            _ = response.utf8CString.withUnsafeBufferPointer { write(connection, $0.baseAddress, $0.count - 1) }
            close(connection)
        }
    }
}
