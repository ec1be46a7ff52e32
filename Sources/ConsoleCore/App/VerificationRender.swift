import Migration

/// The verification screen: the two count equations drawn as proportional bars with ✓/✗, then the per-user table.
enum VerificationRender {
    static func render(_ v: VerificationScreen, tick: Int, _ area: Rect, _ buffer: inout Buffer) {
        switch v.phase {
        case .loading:
            buffer.put("\(Spinner.frame(tick)) verifying: counting rows and fetching every linked Mem0 memory…", x: 1, y: area.y, style: .accent)
        case .failed(let message):
            buffer.put(TextLayout.truncate("✗ verification could not run: \(message)", toWidth: area.width - 1), x: 1, y: area.y, style: .error)
        case .loaded(let result):
            let used = equations(result, into: &buffer, area: area)
            let tableArea = Rect(x: area.x, y: area.y + used, width: area.width, height: area.height - used)
            userTable(result, cursor: v.users.cursor, top: v.users.top, into: &buffer, area: tableArea)
        }
    }

    /// Mem0's total for the migrated users, and how many users it could not count (OSS, ≥1000 memories).
    static func mem0Total(_ r: VerificationResult) -> (count: Int, uncounted: Int) {
        (r.users.compactMap(\.mem0Count).reduce(0, +), r.users.filter { $0.mem0Count == nil }.count)
    }

    /// One equation as two aligned lines, each term's word above its number, so a person reads the words and the
    /// counts together at any width (the one-line form had to cut the numbers off in the wizard's narrow panel):
    ///
    ///     legacy = linked + duplicates + rejected   ✓ holds
    ///      1,290 =  1,234 +         40 +       16
    ///
    /// The verdict follows the words when it fits, else it gets a line of its own (never truncated).
    struct Equation {
        var words: String
        var numbers: String
        var verdict: String
        var holds: Bool

        /// `leftWidth` widens the left-hand side so several equations stacked together line up at `=`.
        init(_ terms: [(word: String, number: String)], holds: Bool, leftWidth: Int = 0) {
            var words = "", numbers = ""
            for (i, term) in terms.enumerated() {
                let width = max(DisplayWidth.of(term.word), DisplayWidth.of(term.number), i == 0 ? leftWidth : 0)
                let op = i == 0 ? "" : i == 1 ? " = " : " + "
                words += op + TextLayout.fit(term.word, width: width, alignRight: true)
                numbers += op + TextLayout.fit(term.number, width: width, alignRight: true)
            }
            self.words = words; self.numbers = numbers; self.holds = holds
            verdict = holds ? "✓ holds" : "✗ DOES NOT HOLD"
        }

        static let verdictGap = 3
        func verdictFits(_ width: Int) -> Bool { DisplayWidth.of(words) + Self.verdictGap + DisplayWidth.of(verdict) <= width }
        func rows(_ width: Int) -> Int { verdictFits(width) ? 2 : 3 }

        func draw(into buffer: inout Buffer, x: Int, y: inout Int, width: Int, maxY: Int) {
            let style: Style = holds ? .ok : .error
            guard y < maxY else { return }
            let end = buffer.put(words, x: x, y: y, style: .bold, limit: width)
            if verdictFits(width) { buffer.put(verdict, x: end + Self.verdictGap, y: y, style: style) }
            y += 1
            if y < maxY { buffer.put(numbers, x: x, y: y, style: .bold, limit: width); y += 1 }
            if !verdictFits(width), y < maxY { buffer.put(verdict, x: x, y: y, style: style, limit: width); y += 1 }
        }
    }

    static func equations(for r: VerificationResult) -> (legacy: Equation, mem0: Equation) {
        let (mem0, uncounted) = mem0Total(r)
        let mem0Holds = uncounted > 0 ? r.users.allSatisfy(\.isMatching) : mem0 == r.linked
        let legacyLeft = ("legacy", Format.count(r.legacyRows))
        let mem0Left = ("Mem0", Format.count(mem0) + (uncounted > 0 ? "+" : ""))
        let left = [legacyLeft.0, legacyLeft.1, mem0Left.0, mem0Left.1].map(DisplayWidth.of).max() ?? 0
        let legacy = Equation([legacyLeft, ("linked", Format.count(r.linked)),
                               ("duplicates", Format.count(r.duplicates)), ("rejected", Format.count(r.rejected))],
                              holds: r.isBalanced, leftWidth: left)
        let mem0Equation = Equation([mem0Left, ("linked", Format.count(r.linked))], holds: mem0Holds, leftWidth: left)
        return (legacy, mem0Equation)
    }

    static let legend = "█ linked  ▓ duplicates  ▒ rejected"
    static func checkSummary(_ r: VerificationResult) -> (checked: String, mismatches: String) {
        let m = r.mismatches.count
        return ("checked \(Format.count(r.checkedLinks)) links\(r.sampled ? " (sample)" : "") · ",
                m == 0 ? "✓ 0 mismatches" : "✗ \(Format.count(m)) mismatch\(m == 1 ? "" : "es")")
    }
    static func legendFitsOneLine(_ r: VerificationResult, width: Int) -> Bool {
        let (checked, mismatches) = checkSummary(r)
        return DisplayWidth.of(legend) + 3 + DisplayWidth.of(checked) + DisplayWidth.of(mismatches) <= width
    }

    /// Rows the header takes at `width`: both equations, four bars, the legend and checks, and the note line.
    static func headerRows(_ r: VerificationResult, width: Int) -> Int {
        let (legacy, mem0) = equations(for: r)
        return legacy.rows(width) + 2 + mem0.rows(width) + 2 + (legendFitsOneLine(r, width: width) ? 1 : 2) + 1
    }

    /// Draws the equations with their bars; returns the rows used (`headerRows`).
    @discardableResult
    static func equations(_ r: VerificationResult, into buffer: inout Buffer, area: Rect) -> Int {
        let accounted = r.linked + r.duplicates + r.rejected
        let (mem0, uncounted) = mem0Total(r)
        let (legacyEquation, mem0Equation) = equations(for: r)
        let scale = max(1, r.legacyRows, accounted, mem0, r.linked)
        let labelWidth = 11
        let numberWidth = 12
        let barWidth = max(4, area.width - labelWidth - numberWidth - 1)
        var y = area.y

        func cells(_ n: Int) -> Int { Int((Double(n) / Double(scale) * Double(barWidth)).rounded()) }
        func bar(_ label: String, _ segments: [(Int, String, Style)], total: Int) {
            guard y < area.maxY else { return }
            buffer.put(label, x: area.x, y: y, style: .bold)
            var x = area.x + labelWidth
            for (n, glyph, style) in segments {
                let w = min(cells(n), area.x + labelWidth + barWidth - x)
                if w > 0 { x = buffer.put(String(repeating: glyph, count: w), x: x, y: y, style: style) }
            }
            buffer.put(TextLayout.fit(Format.count(total), width: numberWidth, alignRight: true), x: area.x + labelWidth + barWidth, y: y)
            y += 1
        }

        legacyEquation.draw(into: &buffer, x: area.x, y: &y, width: area.width, maxY: area.maxY)
        bar("legacy", [(r.legacyRows, "█", .accent)], total: r.legacyRows)
        bar("accounted", [(r.linked, "█", .ok), (r.duplicates, "▓", .warning), (r.rejected, "▒", .error)], total: accounted)
        mem0Equation.draw(into: &buffer, x: area.x, y: &y, width: area.width, maxY: area.maxY)
        bar("linked", [(r.linked, "█", .ok)], total: r.linked)
        bar("Mem0", [(mem0, "█", mem0Equation.holds ? .ok : .error)], total: mem0)
        if y < area.maxY {
            var x = buffer.put("█ linked", x: area.x, y: y, style: .ok)
            x = buffer.put("  ▓ duplicates", x: x, y: y, style: .warning)
            x = buffer.put("  ▒ rejected", x: x, y: y, style: .error)
            if legendFitsOneLine(r, width: area.width) { x += 3 } else { y += 1; x = area.x }
            let (checked, mismatches) = checkSummary(r)
            if y < area.maxY {
                x = buffer.put(checked, x: x, y: y, style: .dim, limit: max(0, area.maxX - x))
                buffer.put(mismatches, x: x, y: y, style: r.mismatches.isEmpty ? .ok : .error, limit: max(0, area.maxX - x))
            }
            y += 1
        }
        if y < area.maxY {
            var notes = r.notes
            if uncounted > 0 { notes.insert("\(uncounted) user(s) could not be counted by Mem0; their links were checked one by one", at: 0) }
            if let first = notes.first { buffer.put(TextLayout.truncate("note: " + first, toWidth: area.width), x: area.x, y: y, style: .dim) }
            y += 1
        }
        return headerRows(r, width: area.width)
    }

    static func userTable(_ r: VerificationResult, cursor: Int, top: Int, into buffer: inout Buffer, area: Rect) {
        let columns = [TableColumn("Mem0 user", min: 9, max: 32, flex: 1), TableColumn("Legacy user", min: 6, alignRight: true),
                       TableColumn("Linked", min: 6, alignRight: true), TableColumn("In Mem0", min: 7, alignRight: true),
                       TableColumn("Checked", min: 7, alignRight: true), TableColumn("Mismatched", min: 6, alignRight: true),
                       TableColumn("", min: 2)]
        let rows = r.users.map { u in
            TableRow([u.mem0UserID, String(u.legacyUserID), Format.count(u.linked), u.mem0Count.map(Format.count) ?? "?",
                      Format.count(u.checked), Format.count(u.mismatched), u.isMatching ? "✓" : "✗"],
                     styles: [.plain, .plain, .plain, u.mem0Count == nil || u.mem0Count == u.linked ? .plain : .error,
                              .plain, u.mismatched == 0 ? .plain : .error, u.isMatching ? .ok : .error])
        }
        Table(columns: columns, rows: rows, selected: rows.isEmpty ? nil : cursor, top: top).render(into: &buffer, area: area)
        if rows.isEmpty, area.height > 1 { buffer.put("no migrated users", x: area.x + 1, y: area.y + 1, style: .dim) }
    }
}
