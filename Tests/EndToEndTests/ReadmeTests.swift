import Foundation
import TestSupport
import XCTest

/// What README.md promises that a test can hold it to: the test command, and the troubleshooting table, which is
/// built from docs/exit-codes.md and must say what that table says.
final class ReadmeTests: XCTestCase {
    private func text(_ path: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    }

    private func section(_ text: String, _ marker: String) throws -> [String] {
        let begin = try XCTUnwrap(text.range(of: "<!-- \(marker):begin -->"), "no \(marker) markers")
        let end = try XCTUnwrap(text.range(of: "<!-- \(marker):end -->"))
        return text[begin.upperBound..<end.lowerBound].components(separatedBy: "\n").filter { !$0.isEmpty }
    }

    /// `| code | ... |` rows: the code and the other cells, trimmed.
    private func rows(_ lines: [String]) -> [Int: [String]] {
        var rows: [Int: [String]] = [:]
        for line in lines where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if let code = Int(cells.first ?? "") { rows[code] = Array(cells.dropFirst()) }
        }
        return rows
    }

    func testTheTestCommandIsScriptsTestAndRunsWithNothingBefore() throws {
        let command = try section(try text("README.md"), "test-command").filter { !$0.hasPrefix("```") }
        XCTAssertEqual(command, ["scripts/test"])
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: repositoryRoot.appendingPathComponent("scripts/test").path))
        let script = try text("scripts/test")
        XCTAssertTrue(script.contains("scripts/setup\n"), "scripts/test sets up first")
        XCTAssertTrue(script.contains("exec swift test \"$@\""))
    }

    func testTheTroubleshootingTableSaysWhatDocsExitCodesSays() throws {
        let readme = rows(try section(try text("README.md"), "troubleshooting"))
        let reference = rows(try text("docs/exit-codes.md").components(separatedBy: "\n"))
        XCTAssertGreaterThanOrEqual(readme.count, 10)
        for (code, cells) in readme.sorted(by: { $0.key < $1.key }) {
            // docs/exit-codes.md: | code | name | meaning | what to do |; README: | exit | meaning | what to do |
            guard let known = reference[code] else { XCTFail("exit \(code) is not in docs/exit-codes.md"); continue }
            XCTAssertTrue(known[1].hasPrefix(cells[0]), "exit \(code): README says '\(cells[0])', docs say '\(known[1])'")
            XCTAssertEqual(cells[1], known[2], "exit \(code): what to do")
        }
    }
}
