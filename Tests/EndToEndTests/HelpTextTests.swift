import Foundation
import TestSupport
import XCTest

/// Every command's `--help` at 80 columns, as a terminal of that width shows it: no line wider than the terminal, no
/// paragraph broken before the margin (a hard newline inside a help string), no blank line inside a discussion, and
/// ASCII only (argument-parser's manual generator drops other characters, and mdoc warns on blank lines).
final class HelpTextTests: XCTestCase {
    /// Every visible command path, read from the binary's own command tree so that a new command is checked too.
    private func commandPaths() throws -> [[String]] {
        let dump = try runMemconsole(["--experimental-dump-help"])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var paths: [[String]] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            guard command["shouldDisplay"] as? Bool ?? true else { return }
            paths.append(path)
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                guard let name = sub["commandName"] as? String, name != "help" else { continue }
                walk(sub, path + [name])
            }
        }
        walk(try XCTUnwrap(root["command"] as? [String: Any]), [])
        return paths
    }

    func testEveryHelpFitsEightyColumnsWithoutRaggedBreaks() throws {
        let paths = try commandPaths()
        XCTAssertGreaterThanOrEqual(paths.count, 10, "the tree has the root, its commands and mem0's two")
        for path in paths {
            let help = try runMemconsole(path + ["--help"], environment: ["COLUMNS": "80"])
            let name = (["memconsole"] + path).joined(separator: " ")
            XCTAssertEqual(help.status, 0, "\(name) --help: \(help.stderr)")
            let lines = help.stdout.components(separatedBy: "\n")
            for line in lines where line.count > 80 {
                XCTFail("\(name) --help has a line of \(line.count) columns: \(line)")
            }
            for (line, next) in zip(lines, lines.dropFirst()) where Self.breaksEarly(line, before: next) {
                XCTFail("\(name) --help breaks a paragraph early (the next word fits): \(line.debugDescription)")
            }
            for line in lines where !line.unicodeScalars.allSatisfy(\.isASCII) {
                XCTFail("\(name) --help has a character the man page would lose: \(line)")
            }
            let intro = help.stdout.components(separatedBy: "USAGE:")[0].components(separatedBy: "\n\n")
            XCTAssertLessThanOrEqual(intro.filter { !$0.isEmpty }.count, 2, "\(name): the discussion is one paragraph")
        }
    }

    /// True when `line` and `next` are one paragraph (same indent, neither blank nor a heading or option row) and the
    /// first word of `next` would have fit on `line` (argument-parser wraps at the width less one: 79 of 80 columns).
    static func breaksEarly(_ line: String, before next: String) -> Bool {
        func indent(_ s: String) -> Int { s.prefix { $0 == " " }.count }
        let body = next.drop { $0 == " " }
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty, !body.isEmpty, indent(line) == indent(next),
              !line.hasSuffix(":"), !body.hasPrefix("-"), !body.hasPrefix("<"), !line.hasPrefix("USAGE:") else {
            return false
        }
        let firstWord = body.prefix { $0 != " " }
        // A row of a subcommand or option table (a name, then two or more spaces) starts a new entry.
        if body.dropFirst(firstWord.count).hasPrefix("  ") { return false }
        return line.count + 1 + firstWord.count <= 79
    }

    func testTheRaggedBreakDetectorSeesABreakAndAcceptsAWrap() {
        XCTAssertTrue(Self.breaksEarly("Creates the tables in a new file; memory", before: "content lives in Mem0."))
        XCTAssertFalse(Self.breaksEarly("OPTIONS:", before: "  --json  Print JSON."))
        XCTAssertFalse(Self.breaksEarly(String(repeating: "word ", count: 14) + "last.", before: "wrapped here."))
        XCTAssertFalse(Self.breaksEarly("A paragraph ends.", before: ""))
        XCTAssertFalse(Self.breaksEarly("  list      List every memory.", before: "  search    Search one user."))
    }
}
