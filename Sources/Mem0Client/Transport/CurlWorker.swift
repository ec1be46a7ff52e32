import CCurl
import Foundation

/// One easy handle and the buffers of the transfer it is running. Lives on, and is used by, exactly one thread.
final class CurlWorker {
    private let handle: UnsafeMutableRawPointer?
    /// Whether the last transfer left a connection that libcurl may reuse for the next one.
    private var holdsKeptAliveConnection = false

    init() { handle = curl_easy_init() }

    deinit { if let handle { curl_easy_cleanup(handle) } }

    func perform(_ job: Job) -> Result<HTTPResponse, TransportFailure> {
        guard let handle else { return .failure(.other(detail: "curl_easy_init failed")) }
        if job.cancelled.withLock({ $0 }) { return .failure(.cancelled) }
        let request = job.request
        curl_easy_reset(handle)

        let sink = TransferSink(job: job)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        ccurl_setopt_string(handle, CURLOPT_URL, request.url.absoluteString)
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)  // required with threads: no SIGALRM for timeouts
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.totalTimeout))
        ccurl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)  // a redirect would resend the key to another host
        ccurl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")  // whatever encodings this libcurl decodes
        if let caFile = request.caFile { ccurl_setopt_string(handle, CURLOPT_CAINFO, caFile) }

        switch request.method {
        case .get:
            ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case .post:
            ccurl_setopt_long(handle, CURLOPT_POST, 1)
        case .put:
            // The body goes through POSTFIELDS below; the custom verb only renames the request line.
            ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, "PUT")
        case .delete:
            ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, "DELETE")
        }
        if let body = request.body {
            ccurl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies now, so the bytes need not outlive this closure.
                _ = ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS,
                                         UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
        } else if request.method == .post {
            ccurl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, 0)
            ccurl_setopt_string(handle, CURLOPT_POSTFIELDS, "")
        }

        // "Expect:" off: libcurl would otherwise wait for a 100-continue before sending large bodies.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }
        ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)

        ccurl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, { buffer, size, count, userdata in
            let sink = Unmanaged<TransferSink>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            if let buffer { sink.body.append(UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: length) }
            return length
        })
        ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer)
        ccurl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, { buffer, size, count, userdata in
            let sink = Unmanaged<TransferSink>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            if let buffer {
                let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
                sink.receiveHeaderLine(line)
            }
            return length
        })
        ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, sinkPointer)
        ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        ccurl_setopt_xferinfo_function(handle, { userdata, _, _, _, _ in
            let sink = Unmanaged<TransferSink>.fromOpaque(userdata!).takeUnretainedValue()
            return sink.job.cancelled.withLock { $0 } ? 1 : 0
        })
        ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, sinkPointer)

        let code = withExtendedLifetime(sink) { curl_easy_perform(handle) }

        var totalTime: Double = 0
        ccurl_getinfo_double(handle, CURLINFO_TOTAL_TIME, &totalTime)
        var newConnections = 0
        ccurl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &newConnections)
        let hadKeptAliveConnection = holdsKeptAliveConnection
        holdsKeptAliveConnection = code == CURLE_OK
        guard code == CURLE_OK else {
            return .failure(Self.failure(for: code, handle: handle))
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: sink.headers, body: sink.body,
                                     elapsed: .microseconds(Int64(totalTime * 1_000_000)),
                                     mayHaveBeenSentTwice: hadKeptAliveConnection && newConnections > 0))
    }

    private static func failure(for code: CURLcode, handle: UnsafeMutableRawPointer) -> TransportFailure {
        let detail = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SSL_CONNECT_ERROR,
             CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return .couldNotConnect(detail: detail)
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            // A connection reused from the pool may have been closed by the server just before we used it; libcurl
            // retries that case itself, so reaching here means this request's own connection broke.
            return .connectionLost(detail: detail)
        default:
            return .other(detail: detail)
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int(duration.inMilliseconds))
    }
}

/// Collects one response. Touched only from the worker thread running the transfer.
private final class TransferSink {
    let job: Job
    var body = Data()
    var headers: [String: String] = [:]

    init(job: Job) { self.job = job }

    func receiveHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers.removeAll()  // a new status line (e.g. after 100 Continue) starts a new header block
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[name] = value
    }
}
