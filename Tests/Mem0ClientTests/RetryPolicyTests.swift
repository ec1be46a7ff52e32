@testable import Mem0Client
import XCTest

/// A deterministic generator so the jitter is checked, not hoped for.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class RetryPolicyTests: XCTestCase {
    let policy = Mem0RetryPolicy(maxRetries: 6, baseDelay: .milliseconds(100), maxDelay: .seconds(2),
                                 maxRetryAfter: .seconds(30))

    func testCeilingDoublesUpToTheCap() {
        XCTAssertEqual((1...7).map { policy.backoffCeiling(attempt: $0) },
                       [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
                        .milliseconds(1600), .seconds(2), .seconds(2)])
    }

    func testFullJitterStaysWithinTheCeilingAndSpreadsOut() {
        var generator = SplitMix64(state: 42)
        for attempt in 1...6 {
            let delays = (0..<200).map { _ in policy.delay(for: .timeout, attempt: attempt, using: &generator)! }
            let ceiling = policy.backoffCeiling(attempt: attempt)
            XCTAssertTrue(delays.allSatisfy { $0 >= .zero && $0 <= ceiling })
            // Full jitter: both halves of the range are used, not a fixed or near-fixed delay.
            XCTAssertTrue(delays.contains { $0 < ceiling / 4 })
            XCTAssertTrue(delays.contains { $0 > ceiling * 3 / 4 })
        }
    }

    func testRetryAfterIsHonouredExactlyAndCapped() {
        XCTAssertEqual(policy.delay(for: .rateLimited(retryAfter: .seconds(3)), attempt: 1), .seconds(3))
        XCTAssertEqual(policy.delay(for: .rateLimited(retryAfter: .seconds(600)), attempt: 1), .seconds(30))
        let withoutHeader = policy.delay(for: .rateLimited(retryAfter: nil), attempt: 1)!
        XCTAssertLessThanOrEqual(withoutHeader, .milliseconds(100))
    }

    func testStopsAfterMaxRetriesAndOnPermanentErrors() {
        XCTAssertNotNil(policy.delay(for: .timeout, attempt: 6))
        XCTAssertNil(policy.delay(for: .timeout, attempt: 7))
        XCTAssertNil(policy.delay(for: .unauthorized, attempt: 1))
        XCTAssertNil(policy.delay(for: .badResponse(reason: "x"), attempt: 1))
        XCTAssertNil(policy.delay(for: .server(status: 400, code: nil, message: nil), attempt: 1))
        XCTAssertNotNil(policy.delay(for: .server(status: 503, code: nil, message: nil), attempt: 1))
        XCTAssertNotNil(policy.delay(for: .unreachable(host: "h"), attempt: 1))
        XCTAssertNotNil(policy.delay(for: .connectionLost(host: "h"), attempt: 1))
        XCTAssertNil(Mem0RetryPolicy.none.delay(for: .timeout, attempt: 1))
    }

    func testRetryAfterHeaderForms() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        XCTAssertEqual(RetryAfter.parse("120"), .seconds(120))
        XCTAssertEqual(RetryAfter.parse(" 1.5 "), .milliseconds(1500))
        XCTAssertEqual(RetryAfter.parse("Sun, 06 Nov 1994 08:49:47 GMT", now: now), .seconds(10))
        XCTAssertEqual(RetryAfter.parse("Sunday, 06-Nov-94 08:49:57 GMT", now: now), .seconds(20))
        XCTAssertEqual(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now), .zero)
        XCTAssertNil(RetryAfter.parse("soon"))
        XCTAssertNil(RetryAfter.parse("-5"))
    }

    func testAddErrorsSayWhetherTheMemoryMayExist() {
        XCTAssertTrue(Mem0Error.timeout.addMayHaveLanded)
        XCTAssertTrue(Mem0Error.connectionLost(host: "h").addMayHaveLanded)
        XCTAssertFalse(Mem0Error.unreachable(host: "h").addMayHaveLanded)
        XCTAssertFalse(Mem0Error.rateLimited(retryAfter: nil).addMayHaveLanded)
    }

    func testEveryErrorHasAOneLineNextStep() {
        let errors: [Mem0Error] = [.unauthorized, .rateLimited(retryAfter: .seconds(2)), .rateLimited(retryAfter: nil),
                                   .server(status: 502, code: "unknown", message: "Upstream provider error."),
                                   .server(status: 400, code: nil, message: nil), .timeout,
                                   .unreachable(host: "127.0.0.1:1"), .connectionLost(host: "h"),
                                   .badResponse(reason: "x")]
        for error in errors {
            XCTAssertFalse(error.operatorMessage.contains("\n"))
            XCTAssertGreaterThan(error.operatorMessage.count, 30)
        }
        XCTAssertTrue(Mem0Error.rateLimited(retryAfter: .seconds(2)).operatorMessage.contains("2 s"))
    }
}
