import Foundation
import TestSupport
import XCTest

/// `scripts/install --prefix DIR` as an operator runs it (a release build, then the binary, the man page and the
/// completions), the installed program itself, and `scripts/uninstall`, which must take back exactly what it wrote.
final class InstallTests: XCTestCase {
    private let installedFiles = [
        "bin/memconsole",
        "share/man/man1/memconsole.1",
        "share/bash-completion/completions/memconsole",
        "share/zsh/site-functions/_memconsole",
        "share/fish/vendor_completions.d/memconsole.fish",
    ]

    private func script(_ name: String) -> URL { repositoryRoot.appendingPathComponent("scripts/\(name)") }

    private func files(under prefix: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(at: prefix, includingPropertiesForKeys: [.isRegularFileKey])
        var found: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                found.append(String(url.path.dropFirst(prefix.path.count + 1)))
            }
        }
        return found.sorted()
    }

    func testInstallIntoAPrefixThenUseTheProgramThenUninstall() throws {
        let prefix = try makeTemporaryDirectory("install-prefix")
        defer { try? FileManager.default.removeItem(at: prefix) }

        // The revision of the checkout as the install sees it (read first: an edit during the build makes it dirty).
        let revision = try runProcess(script("git-revision"), []).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let install = try runProcess(script("install"), ["--prefix", prefix.path])
        XCTAssertEqual(install.status, 0, install.stdout + install.stderr)
        XCTAssertEqual(files(under: prefix), installedFiles.sorted())

        // --version: the package version and the revision of this checkout, compiled in (not looked up at run time).
        let binary = prefix.appendingPathComponent("bin/memconsole")
        let version = try runProcess(binary, ["--version"], currentDirectory: URL(fileURLWithPath: "/"))
        XCTAssertEqual(version.status, 0, version.stderr)
        XCTAssertTrue(version.stdout.hasPrefix("0."), version.stdout)
        if !revision.isEmpty {
            XCTAssertEqual(version.stdout, "\(try versionConstant()) (git \(revision))\n")
        }

        let help = try runProcess(binary, ["--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
        XCTAssertTrue(help.stdout.contains("USAGE: memconsole"), help.stdout)
        XCTAssertTrue(help.stdout.contains("migrate"), help.stdout)

        // The man page renders, with groff's warnings on, without a single warning.
        let page = prefix.appendingPathComponent("share/man/man1/memconsole.1")
        let man = try runProcess(URL(fileURLWithPath: "/usr/bin/man"), ["--warnings", "-l", page.path],
                                 environment: ["MANPAGER": "cat", "MANWIDTH": "80", "PATH": "/usr/bin:/bin",
                                               "LANG": "C.UTF-8"])
        XCTAssertEqual(man.status, 0, man.stderr)
        XCTAssertEqual(man.stderr, "", "man -l printed warnings")
        for text in ["memconsole", "migrate", "--dry-run", "rollback", "--api-key-file"] {
            XCTAssertTrue(man.stdout.contains(text), "the man page lacks \(text)")
        }

        let bash = try runProcess(URL(fileURLWithPath: "/bin/bash"),
                                  ["-n", prefix.appendingPathComponent(installedFiles[2]).path])
        XCTAssertEqual(bash.status, 0, bash.stderr)
        for completion in installedFiles[2...] {
            let text = try String(contentsOf: prefix.appendingPathComponent(completion), encoding: .utf8)
            XCTAssertTrue(text.contains("migrate") && text.contains("dry-run"), "\(completion) completes nothing")
        }

        let uninstall = try runProcess(script("uninstall"), ["--prefix", prefix.path])
        XCTAssertEqual(uninstall.status, 0, uninstall.stdout + uninstall.stderr)
        XCTAssertEqual(files(under: prefix), [], "uninstall leaves none of our files")
        let again = try runProcess(script("uninstall"), ["--prefix", prefix.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("removed 0 file(s)"), again.stdout)
    }

    func testInstallRefusesAPrefixItCannotWriteBeforeBuilding() throws {
        // Root may write anywhere, so root tries a folder of its own (mode 755) as another user; anyone else tries /usr.
        let folder = try makeTemporaryDirectory("install-refused")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        let prefix = getuid() == 0 ? folder.appendingPathComponent("prefix").path : "/usr/memconsole-refused-prefix"
        let arguments = [script("install").path, "--prefix", prefix]
        let install = getuid() == 0
            ? try runProcess(URL(fileURLWithPath: "/usr/bin/setpriv"),
                             ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/bash"] + arguments)
            : try runProcess(URL(fileURLWithPath: "/bin/bash"), arguments)
        XCTAssertEqual(install.status, 1, install.stdout + install.stderr)
        XCTAssertTrue(install.stderr.contains("cannot write to \(prefix)"), install.stderr)
        XCTAssertTrue(install.stderr.contains("--prefix ~/.local"), install.stderr)
        XCTAssertFalse(install.stdout.contains("release build"), "it refuses before building")
    }

    /// The package version as Sources/memconsole/Version.swift states it.
    private func versionConstant() throws -> String {
        let source = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/memconsole/Version.swift"),
                                encoding: .utf8)
        let line = try XCTUnwrap(source.components(separatedBy: "\n").first { $0.contains("static let package = ") })
        return try XCTUnwrap(line.components(separatedBy: "\"").dropFirst().first)
    }
}
