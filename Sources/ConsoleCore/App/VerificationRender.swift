import Migration

/// The verification screen: the two count equations drawn as proportional bars with ✓/✗, then the per-user table.
enum VerificationRender {
    static func render(_ v: VerificationScreen, _ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        switch v.phase {
        case .loading:
            buffer.put("\(Spinner.frame(state.tick)) verifying: counting rows and fetching every linked Mem0 memory…", x: 1, y: area.y, style: .accent)
        case .failed(let message):
            buffer.put(TextLayout.truncate("✗ verification could not run: \(message)", toWidth: area.width - 1), x: 1, y: area.y, style: .error)
        case .loaded(let result):
            let used = equations(result, into: &buffer, area: area)
            let tableArea = Rect(x: area.x, y: area.y + used, width: area.width, height: area.height - used)
            userTable(result, cursor: v.cursor, top: v.top, into: &buffer, area: tableArea)
        }
    }

    /// Mem0's total for the migrated users, and how many users it could not count (OSS, ≥1000 memories).
    static func mem0Total(_ r: VerificationResult) -> (count: Int, uncounted: Int) {
        (r.users.compactMap(\.mem0Count).reduce(0, +), r.users.filter { $0.mem0Count == nil }.count)
    }

    /// Draws the equations; returns the rows used (`Layout.verificationHeaderRows`).
    @discardableResult
    static func equations(_ r: VerificationResult, into buffer: inout Buffer, area: Rect) -> Int {
        let accounted = r.linked + r.duplicates + r.rejected
        let (mem0, uncounted) = mem0Total(r)
        let mem0Holds = uncounted > 0 ? r.users.allSatisfy(\.isMatching) : mem0 == r.linked
        let scale = max(1, r.legacyRows, accounted, mem0, r.linked)
        let labelWidth = 11
        let numberWidth = 12
        let barWidth = max(4, area.width - labelWidth - numberWidth - 1)
        var y = area.y

        func verdict(_ holds: Bool) -> (String, Style) { holds ? ("✓ holds", .ok) : ("✗ DOES NOT HOLD", .error) }
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
        func equation(_ text: String, holds: Bool) {
            guard y < area.maxY else { return }
            let (word, style) = verdict(holds)
            let x = buffer.put(TextLayout.truncate(text, toWidth: area.width - DisplayWidth.of(word) - 3), x: area.x, y: y, style: .bold)
            buffer.put(word, x: x + 2, y: y, style: style)
            y += 1
        }

        equation("legacy = linked + duplicates + rejected:  \(Format.count(r.legacyRows)) = \(Format.count(r.linked)) + "
                 + "\(Format.count(r.duplicates)) + \(Format.count(r.rejected))", holds: r.isBalanced)
        bar("legacy", [(r.legacyRows, "█", .accent)], total: r.legacyRows)
        bar("accounted", [(r.linked, "█", .ok), (r.duplicates, "▓", .warning), (r.rejected, "▒", .error)], total: accounted)
        equation("Mem0 = linked:  \(Format.count(mem0))\(uncounted > 0 ? "+" : "") = \(Format.count(r.linked))", holds: mem0Holds)
        bar("linked", [(r.linked, "█", .ok)], total: r.linked)
        bar("Mem0", [(mem0, "█", mem0Holds ? .ok : .error)], total: mem0)
        if y < area.maxY {
            var x = buffer.put("█ linked", x: area.x, y: y, style: .ok)
            x = buffer.put("  ▓ duplicates", x: x, y: y, style: .warning)
            x = buffer.put("  ▒ rejected", x: x, y: y, style: .error)
            let checks = "   checked \(Format.count(r.checkedLinks)) links\(r.sampled ? " (sample)" : ""), "
            x = buffer.put(checks, x: x, y: y, style: .dim, limit: area.maxX - x)
            let m = r.mismatches.count
            buffer.put(m == 0 ? "✓ 0 mismatches" : "✗ \(Format.count(m)) mismatches", x: x, y: y, style: m == 0 ? .ok : .error,
                       limit: max(0, area.maxX - x))
            y += 1
        }
        if y < area.maxY {
            var notes = r.notes
            if uncounted > 0 { notes.insert("\(uncounted) user(s) could not be counted by Mem0; their links were checked one by one", at: 0) }
            if let first = notes.first { buffer.put(TextLayout.truncate("note: " + first, toWidth: area.width), x: area.x, y: y, style: .dim) }
            y += 1
        }
        return Layout.verificationHeaderRows
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
