import CCurl
import Foundation

/// Sends HTTP requests with libcurl on a small pool of dedicated threads.
///
/// Why threads of our own: `curl_easy_perform` blocks, and blocking Swift concurrency's cooperative pool (two threads
/// on a 2-core machine) or GCD starves everything else (measured: ~120 req/s at concurrency 8 on GCD). Each worker
/// owns one easy handle for its whole life, so its connection stays open between requests (keep-alive);
/// `curl_easy_reset` clears options but keeps the connection cache. Workers start lazily, up to `maxConcurrency`.
/// A caller awaits a checked continuation that the worker resumes; cancelling the task aborts the transfer through
/// the progress callback.
///
/// libcurl reads the usual proxy variables itself (`http_proxy`, `https_proxy`, `HTTPS_PROXY`, `all_proxy`,
/// `no_proxy`; for plain http only the lower-case `http_proxy`), so an operator's proxy settings apply unchanged.
final class CurlTransport: Sendable {
    private let queue: JobQueue

    init(maxConcurrency: Int) {
        CurlGlobal.ensureInitialized()
        queue = JobQueue(maxWorkers: max(1, maxConcurrency))
    }

    deinit { queue.shutDown() }

    func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        let job = Job(request: request)
        let result: Result<HTTPResponse, TransportFailure> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                job.continuation = continuation
                queue.submit(job)
            }
        } onCancel: {
            job.cancelled.withLock { $0 = true }
        }
        return try result.get()
    }
}

/// `curl_global_init` must run once, before any thread uses libcurl; a global `let` gives exactly-once semantics.
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(ccurl_global_all()) == CURLE_OK
    }()

    static func ensureInitialized() { _ = initialized }
}

/// A request waiting for, or running on, a worker.
final class Job: @unchecked Sendable {
    let request: HTTPRequest
    /// Set once before submission, read once by the worker that runs the job.
    var continuation: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>?
    let cancelled = LockedValue(false)

    init(request: HTTPRequest) { self.request = request }
}

/// The pending jobs and the worker threads that drain them.
final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [Job] = []
    private var pendingStart = 0
    private var workers = 0
    private var idleWorkers = 0
    private var stopping = false
    private let maxWorkers: Int

    init(maxWorkers: Int) { self.maxWorkers = maxWorkers }

    func submit(_ job: Job) {
        condition.lock()
        pending.append(job)
        // Idle workers only leave the count once they wake, so compare with the jobs nobody has taken yet.
        let startWorker = pending.count - pendingStart > idleWorkers && workers < maxWorkers
        if startWorker { workers += 1 }
        condition.signal()
        condition.unlock()
        if startWorker {
            let thread = Thread { [self] in runWorker() }
            thread.name = "mem0-curl"
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }

    func shutDown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until there is a job, or returns nil when the transport is gone and nothing is left.
    private func nextJob() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while pendingStart == pending.count {
            if stopping { return nil }
            idleWorkers += 1
            condition.wait()
            idleWorkers -= 1
        }
        let job = pending[pendingStart]
        pendingStart += 1
        if pendingStart > 1024, pendingStart * 2 > pending.count {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        return job
    }

    private func runWorker() {
        let worker = CurlWorker()
        while let job = nextJob() {
            let result = worker.perform(job)
            job.continuation?.resume(returning: result)
            job.continuation = nil
        }
        condition.lock()
        workers -= 1
        condition.unlock()
    }
}
