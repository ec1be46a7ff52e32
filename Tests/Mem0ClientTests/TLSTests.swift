import Foundation
import Mem0Client
import TestSupport
import XCTest

/// `--ca-file`: a Mem0 behind TLS with a private CA is trusted with the CA file and refused without it.
/// The TLS front is a few lines of Python `ssl` forwarding every request to the real local server.
final class TLSTests: XCTestCase {
    static let forwarder = #"""
    import http.client, http.server, ssl, sys
    upstream_port, cert, key, port_file = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    class Forward(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *args): pass
        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            connection = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            self.send_response(response.status)
            for k, v in response.getheaders():
                if k.lower() not in ("content-length", "connection", "transfer-encoding", "date", "server"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        do_GET = do_POST = do_DELETE = forward
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os; os.rename(port_file + ".tmp", port_file)
    server.serve_forever()
    """#

    func testPrivateCAIsTrustedWithTheCAFileAndRefusedWithout() async throws {
        let server = try Live.server()
        let folder = try makeTemporaryDirectory("mem0-tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let openssl = try runScript(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        XCTAssertEqual(openssl.status, 0, openssl.stderr)
        let portFile = folder.appendingPathComponent("port").path
        let script = folder.appendingPathComponent("forward.py").path
        try Self.forwarder.write(toFile: script, atomically: true, encoding: .utf8)
        let front = try BackgroundProcess("python3", [script, String(server.url.port!), cert, key, portFile])
        defer { front.stop() }
        var port: String?
        for _ in 0..<100 where port == nil {
            port = try? String(contentsOfFile: portFile, encoding: .utf8)
            if port == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let url = URL(string: "https://127.0.0.1:\(try XCTUnwrap(port, "the TLS front did not start"))")!

        // Trusted through the CA file: dialect detection, add and get all over TLS, against the real server.
        let trusted = Mem0Client(configuration: Mem0Configuration(
            baseURL: url, dialect: .auto, apiKey: APIKey(server.apiKey)!, caFile: cert, retryPolicy: .none))
        let ping = try await trusted.ping()
        XCTAssertEqual(ping.dialect, .platform)
        let user = LocalMem0Server.uniqueUserID("tls")
        guard case .created(let ids) = try await trusted.add(Mem0AddRequest(text: "over TLS ✓", userID: user)) else {
            return XCTFail("add over TLS did not create")
        }
        let memory = try await trusted.memory(id: ids[0])
        XCTAssertEqual(memory?.text, "over TLS ✓")

        // The same server without the CA file: the system store does not know the CA, so nothing is sent.
        let untrusted = Mem0Client(configuration: Mem0Configuration(
            baseURL: url, dialect: .platform, apiKey: APIKey(server.apiKey)!, retryPolicy: .none))
        do {
            _ = try await untrusted.ping()
            XCTFail("an unknown CA was trusted")
        } catch let error as Mem0Error {
            XCTAssertEqual(error, .unreachable(host: "127.0.0.1:\(port!)"))
        }
    }
}
