import Testing
import Migration
@testable import ConsoleCore

/// What an operator must be able to read at a glance, stated directly (the snapshots show the same screens whole).
@Suite struct ReadabilityTests {
    static func lines(_ d: Driver) -> [String] { d.screen().text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// Both equations read in full, words and counts, with their verdicts, in the wizard's narrow panel at 80×24.
    @Test func wizardVerifyShowsBothEquationsInFullAt80x24() {
        let screen = Self.lines(Scenario.wizard(80, 24, until: .verify))
        #expect(screen.contains { $0.contains("legacy = linked + duplicates + rejected") && $0.contains("✓ holds") })
        #expect(screen.contains { $0.contains(" 1,290 =  1,234 +         40 +       16") })
        #expect(screen.contains { $0.contains("Mem0 = linked") && $0.contains("✗ DOES NOT HOLD") })
        #expect(screen.contains { $0.contains("1,233 =  1,234") })
        #expect(screen.contains { $0.contains("✗ 1 mismatch") })   // the check summary is not cut off either
    }

    /// Each number stands right under its word, so the eye can run down a column.
    @Test func equationNumbersAlignUnderTheirWords() {
        let e = VerificationRender.Equation([("legacy", "1,000,000"), ("linked", "990,000"), ("duplicates", "6,000"),
                                             ("rejected", "4,000")], holds: true)
        #expect(e.words == "   legacy =  linked + duplicates + rejected")
        #expect(e.numbers == "1,000,000 = 990,000 +      6,000 +    4,000")
        #expect(e.rows(80) == 2)
        #expect(e.rows(40) == 3)   // too narrow for the verdict after the words: it gets its own line, never cut
        var b = Buffer(width: 50, height: 3)
        var y = 0
        e.draw(into: &b, x: 0, y: &y, width: 50, maxY: 3)
        #expect(y == 3)
        #expect(b.text.split(separator: "\n")[2].hasPrefix("✓ holds"))
    }

    @Test func theVerificationListLeavesRoomForTheHeaderItDraws() {
        let d = Scenario.verification(80, 24)
        guard let v = d.state.screen.as(VerificationScreen.self), case .loaded(let r) = v.phase else { Issue.record("not loaded"); return }
        let rows = Layout.verificationHeaderRows(r, width: 80)
        #expect(rows == Layout.verificationHeaderRows)
        #expect(Layout.viewport(of: d.state.screen, in: d.state) == d.state.bodyHeight - rows - 1)
        #expect(Layout.verificationHeaderRows(r, width: 50) > rows)   // the legend wraps on a narrow area
    }
}

/// Empty lists say so in words, and a failed page shows its error where the rows would be, with `r` retrying it.
@Suite struct EmptyAndFailedStateTests {
    static func body(_ d: Driver) -> [String] {
        let lines = ReadabilityTests.lines(d)
        return Array(lines[2..<(lines.count - 2)])
    }

    /// The user "party" has no sessions.
    static func partySessions() -> Driver {
        var d = Driver(width: 80, height: 24)
        d.answer(.users(Fixture.users))
        d.keys(.down, .down, .enter)
        d.answer(.profiles([]))
        d.keys(.char("2"))
        return d
    }

    @Test func aUserWithNoSessionsSaysSoUnderTheHeader() {
        var d = Self.partySessions()
        d.answer(.sessions([]))
        let body = Self.body(d)
        #expect(body[1].hasPrefix(" ID Title") || body[1].hasPrefix("ID Title"))
        #expect(body[2].trimmingCharacters(in: .whitespaces) == "no sessions")
        #expect(d.keys(.enter) == [])   // nothing to open
    }

    @Test func aSessionWithNoMessagesSaysSo() {
        var d = Scenario.user(80, 24, tab: 1)
        d.keys(.down, .enter)           // session #101, 0 messages
        d.answer(.messages([]))
        #expect(Self.body(d)[0].trimmingCharacters(in: .whitespaces) == "no messages in this session")
    }

    @Test func aFailedSessionsPageShowsTheErrorInPlaceOfTheRowsAndRRetries() {
        var d = Self.partySessions()
        guard case .loadPage(let id, let q)? = d.effects.last else { Issue.record("no page asked: \(d.effects)"); return }
        d.send(.pageFailed(id, q, message: "disk I/O error: check the file system, then press r"))
        let lines = ReadabilityTests.lines(d)
        #expect(lines[4].contains("✗ could not load sessions: disk I/O error"))
        #expect(lines[22].contains("r retries"))
        #expect(d.keys(.char("r")) == [.loadPage(id, q)])
        #expect(ReadabilityTests.lines(d)[4].contains("loading sessions"))
    }

    @Test func aFailedTranscriptPageShowsTheErrorInPlaceOfTheMessagesAndRRetries() {
        var d = Scenario.user(80, 24, tab: 1)
        d.keys(.enter)
        guard case .loadPage(let id, let q)? = d.effects.last else { Issue.record("no page asked: \(d.effects)"); return }
        d.send(.pageFailed(id, q, message: "database disk image is malformed: restore the backup"))
        #expect(Self.body(d)[0].contains("✗ could not load messages: database disk image is malformed"))
        #expect(ReadabilityTests.lines(d)[22].contains("r retries"))
        #expect(d.keys(.char("r")) == [.loadPage(id, q)])
    }
}

/// Details a demanding operator notices on the list screens at 80 columns.
@Suite struct OperatorDetailTests {
    @Test func theHintBarAlwaysKeepsHelpAndTheWayBack() {
        for tab in 0..<4 {
            let bar = ReadabilityTests.lines(Scenario.user(80, 24, tab: tab)).last!
            #expect(bar.contains("? help") && bar.contains("q back"), "tab \(tab): \(bar)")
            #expect(bar.contains("d diff") == (tab == 2), "d diff is hinted only on the memories section: \(bar)")
        }
        var narrow = Buffer(width: 30, height: 1)
        KeyHintBar.render(Bindings.users, into: &narrow, y: 0, width: 30)
        #expect(narrow.text.contains("? help") && narrow.text.contains("q quit"))
    }

    @Test func migratedMemoriesAt80KeepTheContentReadable() {
        let screen = ReadabilityTests.lines(Scenario.user(80, 24, tab: 2, status: Fixture.migratedStatus))
        #expect(screen.contains { $0.contains("(content is in Mem0)") })
        #expect(screen.contains { $0.contains("Is vegetarian; love") })
        #expect(screen.contains { $0.contains("✗ not linked") })   // the unlinked row still says so
        #expect(screen.contains { $0.contains("6f1c2a9") })        // and the Mem0 id is still recognisable
    }
}

/// A console opened without Mem0 settings says so, and a diff asked for anyway shows the legacy row and the reason.
@Suite struct Mem0NotConfiguredTests {
    static let status = StatusInfo(filePath: "/data/chat.db", fileState: .partlyMigrated, mem0Endpoint: nil, mem0Dialect: nil)

    @Test func theStatusLineSaysMem0IsNotConfiguredAndTheDiffExplains() {
        var d = Scenario.user(80, 24, tab: 2, status: Self.status)
        #expect(ReadabilityTests.lines(d)[0].contains("partly migrated") && ReadabilityTests.lines(d)[0].contains("Mem0 not configured"))
        #expect(ReadabilityTests.lines(d)[3].contains("Mem0 id"))   // partly migrated files show the link column too
        guard case .fetchMem0Record(let ref)? = d.keys(.enter).first else { Issue.record("no fetch: \(d.effects)"); return }
        d.send(.mem0RecordFailed(ref, legacy: Fixture.legacy,
                                 message: "Mem0 is not configured: pass --mem0-url (and the key in MEM0_API_KEY), then press r"))
        let screen = ReadabilityTests.lines(d)
        #expect(screen[2].contains("✗ Mem0 could not be asked"))
        #expect(screen[3].contains("Mem0 is not configured"))
        #expect(screen.contains { $0.contains("legacy #500") })
        #expect(d.keys(.char("r")) == [.fetchMem0Record(ref)])
    }
}
