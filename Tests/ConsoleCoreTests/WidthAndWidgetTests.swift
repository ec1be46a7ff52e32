import Testing
import Migration
@testable import ConsoleCore

/// The one width rule, and the widgets that depend on it.
@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("a", 1), ("é", 1), ("e\u{301}", 1), ("京", 2), ("한", 2), ("ｱ", 1), ("Ａ", 2),
        ("🎉", 2), ("❤", 1), ("❤️", 2), ("👩‍👩‍👧", 2), ("🇯🇵", 2), ("👍🏽", 2), ("\u{200B}", 0), ("ש", 1), ("م", 1),
        // Clusters a terminal draws scalar by scalar (wcwidth each): Indic spacing vowel signs count, viramas don't.
        ("प्रि", 3), ("क्ष", 2), ("कि", 2), ("\u{1100}\u{1161}", 2),
    ])
    func widthOfOneGrapheme(_ text: String, _ width: Int) {
        #expect(DisplayWidth.of(Character(text)) == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func widthOfMixedText() {
        #expect(DisplayWidth.of("山田 Taro 🎉") == 2 + 2 + 1 + 4 + 1 + 2)
        #expect(DisplayWidth.of("Zoe\u{0308}") == 3)
        #expect(DisplayWidth.of("سلمى") == 4)
    }

    @Test func bufferDropsAWideGlyphThatDoesNotFitInsteadOfSplittingIt() {
        var b = Buffer(width: 5, height: 1)
        let end = b.put("ab京都", x: 0, y: 0)
        #expect(b.text == "ab京 ")
        #expect(end == 4)
        #expect(b[3, 0].isContinuation)
    }

    @Test func bufferGivesAThreeCellClusterTwoContinuationCells() {
        var b = Buffer(width: 6, height: 1)
        let end = b.put("प्रिx", x: 0, y: 0)
        #expect(end == 4)
        #expect(b[1, 0].isContinuation && b[2, 0].isContinuation)
        #expect(b[3, 0].text == "x")
    }

    @Test func bufferNeutralisesControlCharacters() {
        var b = Buffer(width: 8, height: 1)
        b.put("a\u{1B}[2Jb\tc", x: 0, y: 0)
        #expect(b.text == "a·[2Jb·c")
    }
}

@Suite struct TextLayoutTests {
    @Test func truncationCountsCellsAndEndsWithAnEllipsis() {
        #expect(TextLayout.truncate("hello world", toWidth: 8) == "hello w…")
        #expect(TextLayout.truncate("山田太郎さん", toWidth: 7) == "山田太…")   // 6 cells + … ; never half a glyph
        #expect(TextLayout.truncate("山田太郎さん", toWidth: 6) == "山田…")     // 太 would need cells 5–6, … needs 6
        #expect(TextLayout.truncate("ok", toWidth: 2) == "ok")
        #expect(TextLayout.truncate("👩‍👩‍👧👩‍👩‍👧", toWidth: 3) == "👩‍👩‍👧…")
        #expect(TextLayout.truncate("line1\nline2", toWidth: 20) == "line1 line2")
    }

    @Test func fitPadsToExactWidth() {
        #expect(DisplayWidth.of(TextLayout.fit("京都", width: 7)) == 7)
        #expect(TextLayout.fit("42", width: 5, alignRight: true) == "   42")
    }

    @Test func wrapBreaksAtSpacesByDisplayWidth() {
        #expect(TextLayout.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(TextLayout.wrap("a\n\nb", width: 5) == ["a", "", "b"])
        #expect(TextLayout.wrap("", width: 5) == [""])
    }

    @Test func wrapHardBreaksLongWordsAndCJKWithoutSplittingGlyphs() {
        #expect(TextLayout.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextLayout.wrap("日本語のテキスト", width: 5) == ["日本", "語の", "テキ", "スト"])
        let emoji = TextLayout.wrap("👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧", width: 5)
        #expect(emoji == ["👩‍👩‍👧👩‍👩‍👧", "👩‍👩‍👧"])
        let combining = TextLayout.wrap("e\u{301}e\u{301}e\u{301}", width: 2)
        #expect(combining == ["e\u{301}e\u{301}", "e\u{301}"])
        for line in TextLayout.wrap("Is vegetarian; loves 京都 in spring 🌸 and 哲学の道 ❤️ 🇯🇵", width: 9) {
            #expect(DisplayWidth.of(line) <= 9)
        }
    }
}

@Suite struct TableTests {
    let columns = [TableColumn("ID", min: 2, alignRight: true), TableColumn("Name", min: 4, max: 10),
                   TableColumn("Note", min: 4, flex: 1)]

    @Test func columnsTakeContentWidthAndFlexTakesTheRest() {
        let rows = [TableRow(["1", "alice", "hi"]), TableRow(["22", "山田", "x"])]
        #expect(Table.columnWidths(columns, rows: rows, width: 30) == [2, 5, 21])   // 2+5+21 + 2 gaps = 30
    }

    @Test func maxCapsAndTheWidestShrinkFirst() {
        let rows = [TableRow(["1", "averyveryverylongname", String(repeating: "n", count: 40)])]
        let widths = Table.columnWidths(columns, rows: rows, width: 30)
        #expect(widths == [2, 10, 16])
        #expect(widths.reduce(0, +) + 2 == 30)
    }

    @Test func flexNeverGrowsAColumnPastItsMaxAndTheRestGoesToTheOthers() {
        let columns = [TableColumn("A", min: 2, max: 6, flex: 1), TableColumn("B", min: 2, flex: 1)]
        #expect(Table.columnWidths(columns, rows: [], width: 41) == [6, 34])        // B takes what A cannot
        let capped = [TableColumn("A", min: 2, max: 6, flex: 1), TableColumn("B", min: 2, max: 8, flex: 1)]
        #expect(Table.columnWidths(capped, rows: [], width: 41) == [6, 8])          // narrower than the line
    }

    @Test func usersTableAt160GivesTheRoomToDisplayNamesNotUsernames() {
        let rows = Fixture.users.map(Columns.userRow)
        let widths = Table.columnWidths(Columns.users, rows: rows, width: 160)
        let longestUsername = Fixture.users.map { DisplayWidth.of($0.username) }.max()!
        #expect(widths[1] == max(8, longestUsername))                               // Username: its content
        #expect(widths[2] > widths[1] && widths[2] <= 40)                           // Display name: the spare room
        #expect(Columns.users[3...5].allSatisfy { $0.alignRight })                  // counts right-aligned
    }

    @Test func narrowScreenCutsFromTheRight() {
        let widths = Table.columnWidths(columns, rows: [], width: 9)
        #expect(widths.reduce(0, +) + 2 <= 9)
    }

    @Test func rendersHeaderSelectionAndTruncation() {
        var b = Buffer(width: 20, height: 3)
        let rows = [TableRow(["1", "山田太郎さん", "note"]), TableRow(["2", "bob", "a long note"])]
        Table(columns: [TableColumn("ID", min: 2, alignRight: true), TableColumn("Name", min: 4, max: 7), TableColumn("Note", min: 4, flex: 1)],
              rows: rows, selected: 1).render(into: &b, area: Rect(x: 0, y: 0, width: 20, height: 3))
        #expect(b.text == """
        ID Name    Note     
         1 山田太… note     
         2 bob     a long no
        """.replacingOccurrences(of: "a long no", with: "a long n…"))
        #expect(StyleCode.row(b, 0) == String(repeating: "H", count: 20))
        #expect(StyleCode.row(b, 2) == String(repeating: "S", count: 20))
    }

    @Test func scrollingKeepsTheCursorInViewMovingAsLittleAsPossible() {
        #expect(Scrolling.top(cursor: 0, top: 0, height: 5, count: 100) == 0)
        #expect(Scrolling.top(cursor: 5, top: 0, height: 5, count: 100) == 1)
        #expect(Scrolling.top(cursor: 3, top: 1, height: 5, count: 100) == 1)
        #expect(Scrolling.top(cursor: 0, top: 4, height: 5, count: 100) == 0)
        #expect(Scrolling.top(cursor: 9, top: 0, height: 5, count: 10) == 5)
    }
}

@Suite struct DiffViewTests {
    @Test func longTextsWrapInStepSoRowsLineUp() {
        let legacy = LegacyMemoryValues(id: 1, content: "short", memoryType: nil, tags: [], importanceScore: nil,
                                        mentionedCount: nil, profileID: nil, createdAt: nil, updatedAt: nil)
        let record = Mem0MemoryValues(id: "m", text: "a much longer text that needs several lines in its pane", memoryType: nil,
                                      tags: nil, importanceScore: nil, mentionedCount: nil, profileID: nil, createdAt: nil, updatedAt: nil)
        let model = DiffModel(comparison: MemoryComparison(legacy: legacy, record: record), legacySource: "memories")
        let rows = DiffView.rows(model, width: 50)   // panes of 15 cells
        let textRows = rows.prefix { $0.label == "text" || $0.label.isEmpty }
        #expect(textRows.count == 4)
        #expect(textRows.map(\.left) == ["short", "", "", ""])
        #expect(textRows.first?.right == "a much longer")
        #expect(rows[textRows.count].label == "memory_type")     // the next field starts on the same row in both panes
        #expect(textRows.allSatisfy { $0.leftStyle == .changed && $0.rightStyle == .changed })
    }

    @Test func equalFieldsAreDimDifferingHighlightedMissingLoud() {
        let d = Scenario.diff(80, 24)
        let b = d.screen()
        let lines = b.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func styles(of label: String) -> String { StyleCode.row(b, lines.firstIndex { $0.hasPrefix(label) }!) }
        // Left pane cells 17..<47, right pane 50..<80.
        let equal = styles(of: "memory_type"), differing = styles(of: "tags"), missing = styles(of: "mentioned_count")
        #expect(equal.dropFirst(17).prefix(30) == Substring(String(repeating: "d", count: 30)))
        #expect(differing.dropFirst(17).prefix(30) == Substring(String(repeating: "C", count: 30)))
        #expect(differing.dropFirst(50) == Substring(String(repeating: "C", count: 30)))
        #expect(missing.dropFirst(50) == Substring(String(repeating: "E", count: 30)))
        #expect(lines[22].hasPrefix("✗ 2 fields differ"))
    }

    @Test func aMissingRecordIsShownLoudly() {
        var d = Scenario.user(80, 24, tab: 2, status: Fixture.migratedStatus)
        d.keys(.enter)
        guard case .fetchMem0Record(let ref)? = d.effects.first else { Issue.record("no fetch"); return }
        d.send(.mem0RecordLoaded(ref, legacy: Fixture.legacy, record: nil))
        let b = d.screen()
        let text = b.text
        #expect(text.contains("Mem0: NO RECORD"))
        #expect(text.contains("✗ NO MEM0 RECORD"))
        #expect(text.contains("✗ Mem0 has no record for legacy memory #500"))
        #expect(StyleCode.row(b, 2).hasSuffix(String(repeating: "E", count: 15)))
    }
}

@Suite struct ChromeTests {
    @Test func progressBarFillsByFraction() {
        #expect(ProgressBar.bar(fraction: 0, width: 12) == "[░░░░░░░░░░]")
        #expect(ProgressBar.bar(fraction: 0.5, width: 12) == "[█████░░░░░]")
        #expect(ProgressBar.bar(fraction: 1, width: 12) == "[██████████]")
        #expect(ProgressBar.bar(fraction: 0.55, width: 12) == "[█████▌░░░░]")
        #expect(ProgressBar.caption(done: 617, total: 1290, rate: 85.2, etaSeconds: 95) == "617/1,290  47.8%  85.2/s  ETA 1m35s")
        #expect(ProgressBar.caption(done: 0, total: 0, rate: nil, etaSeconds: nil) == "0/0  0.0%  ETA —")
    }

    @Test func formats() {
        #expect(Format.count(1_000_000) == "1,000,000")
        #expect(Format.count(999) == "999")
        #expect(Format.duration(4000) == "1h06m")
        #expect(Format.fixed(16.666, 1) == "16.7")
    }

    @Test func hintBarAndHelpOverlayComeFromTheBindingTable() {
        var b = Buffer(width: 80, height: 1)
        KeyHintBar.render(Bindings.users, into: &b, y: 0, width: 80)
        for binding in Bindings.users where binding.isHint { #expect(b.text.contains("\(binding.label) \(binding.shortHelp)")) }
        var d = Scenario.users(80, 24)
        d.keys(.char("?"))
        let text = d.screen().text
        for binding in Bindings.users { #expect(text.contains(binding.help), "\(binding.help)") }
        d.keys(.char("x"))
        #expect(!d.state.showsHelp)
    }

    @Test func dialogCentresTitleMessageAndFocusedButton() {
        var b = Buffer(width: 40, height: 9)
        Dialog(title: "Quit?", message: "Leave now?", buttons: ["No", "Yes"], focused: 1).render(into: &b, within: Rect(x: 0, y: 0, width: 40, height: 9))
        let expected = [
            "                                        ",
            "    ┌─ Quit? ──────────────────────┐    ",
            "    │                              │    ",
            "    │ Leave now?                   │    ",
            "    │                              │    ",
            "    │       [ No ]  [ Yes ]        │    ",
            "    └──────────────────────────────┘    ",
            "                                        ",
            "                                        ",
        ]
        #expect(b.text == expected.joined(separator: "\n"))
        #expect(StyleCode.row(b, 5) == "....a.......bbbbbb..SSSSSSS........a....")
    }

    @Test func prettyJSONAndRaw() {
        #expect(PrettyJSON.format(nil) == .none)
        #expect(PrettyJSON.format("{oops") == .raw("{oops"))
        guard case .json(let text) = PrettyJSON.format(#"{"b":1,"a":"京"}"#) else { Issue.record("not json"); return }
        #expect(text.contains("\"a\" : \"京\""))
        #expect(text.firstRange(of: "\"a\"")!.lowerBound < text.firstRange(of: "\"b\"")!.lowerBound)
    }
}
