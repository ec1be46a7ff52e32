import Foundation
import Migration

/// Draws the whole console from its state: a pure function (no I/O, no clock; the spinner frame is `state.tick`).
public func render(_ state: AppState, into buffer: inout Buffer) {
    Renderer.render(state, into: &buffer)
}

enum Renderer {
    static func render(_ state: AppState, into buffer: inout Buffer) {
        guard buffer.width > 0, buffer.height > 0 else { return }
        buffer.fill(x: 0, y: 0, width: buffer.width, height: buffer.height)
        statusLine(state, into: &buffer)
        breadcrumb(state, into: &buffer)
        let body = Rect(x: 0, y: 2, width: buffer.width, height: max(0, buffer.height - 4))
        screen(state, body: body, into: &buffer)
        messageLine(state, into: &buffer)
        if buffer.height >= 2 { KeyHintBar.render(state.screen.bindings, into: &buffer, y: buffer.height - 1, width: buffer.width) }
        if state.showsHelp {
            HelpOverlay.render(title: state.screen.title, bindings: state.screen.bindings, into: &buffer,
                               within: Rect(x: 0, y: 1, width: buffer.width, height: max(0, buffer.height - 2)))
        }
    }

    // MARK: Chrome

    /// File, its state, Mem0 endpoint and dialect (never the key), and the spinner while anything is in flight.
    static func statusLine(_ state: AppState, into buffer: inout Buffer) {
        let s = state.status
        buffer.fill(x: 0, y: 0, width: buffer.width, height: 1, style: .header)
        var x = buffer.put(" memconsole ", x: 0, y: 0, style: .header)
        let spinnerRoom = 3
        let stateText = " \(s.fileState.rawValue) "
        let stateStyle: Style = s.fileState == .migrated ? .ok : s.fileState == .partlyMigrated ? .warning : .accent
        var mem0 = "Mem0 " + (s.mem0Endpoint ?? "not configured")
        if let d = s.mem0Dialect { mem0 += " (\(d))" }
        let fixed = DisplayWidth.of(stateText) + DisplayWidth.of(mem0) + 4 + spinnerRoom + 5
        let fileRoom = max(8, buffer.width - x - fixed)
        x = buffer.put(TextLayout.truncate(s.filePath, toWidth: fileRoom), x: x, y: 0, style: .header)
        x = buffer.put(stateText, x: x + 1, y: 0, style: stateStyle)
        // What this console does to the file right now: `ro` while browsing; `rw` (loud) while the wizard's run writes it.
        x = s.isReadOnly ? buffer.put(" ro", x: x, y: 0, style: .header) : buffer.put(" rw ", x: x + 1, y: 0, style: .warning)
        x = buffer.put("  " + TextLayout.truncate(mem0, toWidth: max(0, buffer.width - x - spinnerRoom - 2)), x: x, y: 0, style: .header)
        if state.isBusy { buffer.put(Spinner.frame(state.tick), x: buffer.width - 2, y: 0, style: .accent) }
    }

    static func breadcrumb(_ state: AppState, into buffer: inout Buffer) {
        guard buffer.height > 2 else { return }
        let trail = state.stack.map(\.title).joined(separator: " › ")
        var text = trail
        if DisplayWidth.of(text) > buffer.width - 1 {
            // Keep the end of the trail: where the operator is matters more than where they came from.
            var tail = ""
            for ch in trail.reversed() {
                if DisplayWidth.of(tail) + DisplayWidth.of(ch) > buffer.width - 2 { break }
                tail.insert(ch, at: tail.startIndex)
            }
            text = "…" + tail
        }
        buffer.put(text, x: 0, y: 1, style: .bold)
    }

    static func messageLine(_ state: AppState, into buffer: inout Buffer) {
        guard buffer.height >= 4 else { return }
        let y = buffer.height - 2
        if let prompt = state.prompt {
            let x = buffer.put("/" + prompt, x: 0, y: y, style: .accent)
            buffer.put("▏", x: x, y: y, style: .accent)
            buffer.put("  Enter apply · Esc cancel · empty clears", x: min(buffer.width, x + 1), y: y, style: .dim)
        } else if let notice = state.notice {
            buffer.put(TextLayout.truncate((notice.isError ? "✗ " : "") + notice.text, toWidth: buffer.width), x: 0, y: y,
                       style: notice.isError ? .error : .ok)
        } else if let footer = footer(state) {
            buffer.put(TextLayout.truncate(footer.text, toWidth: buffer.width), x: 0, y: y, style: footer.style)
        }
    }

    /// What the message line says when there is no prompt or notice: list errors first, then where the cursor is.
    static func footer(_ state: AppState) -> (text: String, style: Style)? {
        func list<Row>(_ l: PagedList<Row>, _ noun: String) -> (String, Style)? {
            if let error = l.error { return ("✗ \(error)  (r retries)", .error) }
            guard l.isLoaded, !l.rows.isEmpty else { return nil }
            var text = "\(noun) #\(l.rows[l.cursor].id)"
            if l.hasMoreBefore { text += " · more above" }
            if l.hasMoreAfter { text += " · more below" }
            if let f = l.filter { text += " · filter “\(f)”" }
            return (text, .dim)
        }
        switch state.screen {
        case .users(let l): return list(l, "user")
        case .user(let s):
            switch s.tab {
            case .profiles: return list(s.profiles, "profile")
            case .sessions: return list(s.sessions, "session")
            case .memories: return list(s.memories, "memory")
            case .agentLogs: return list(s.logs, "log")
            }
        case .memories(let s): return list(s.list, "memory")
        case .sessions(let s): return list(s.list, "session")
        case .agentLogs(let s): return list(s.list, "log")
        case .classList(let s) where s.kind != .mismatches: return list(s.list, "legacy row")
        case .transcript(let t):
            if let error = t.list.error { return ("✗ \(error)  (r retries)", .error) }
            var text = "\(t.list.rows.count) messages loaded"
            if t.list.hasMoreBefore { text += " · more above" }
            if t.list.hasMoreAfter { text += " · more below" }
            if let f = t.list.filter { text += " · filter “\(f)”" }
            return (text, .dim)
        case .diff(let d):
            guard case .loaded(let model) = d.phase else { return nil }
            let n = model.differingFields
            if !model.hasRecord { return ("✗ Mem0 has no record for legacy memory #\(d.ref.legacyID)", .error) }
            return n == 0 ? ("✓ every field matches", .ok) : ("✗ \(n) field\(n == 1 ? "" : "s") differ", .changed)
        default: return nil
        }
    }

    // MARK: Screens

    static func screen(_ state: AppState, body: Rect, into buffer: inout Buffer) {
        guard body.height > 0 else { return }
        switch state.screen {
        case .users(let l): table(l, columns: Columns.users, row: Columns.userRow, noun: "users", state, body, &buffer)
        case .user(let s): userScreen(s, state, body, &buffer)
        case .memories(let s):
            table(s.list, columns: Columns.memories(state), row: Columns.memoryRow(state), noun: "memories", state, body, &buffer)
        case .sessions(let s): table(s.list, columns: Columns.sessions, row: Columns.sessionRow, noun: "sessions", state, body, &buffer)
        case .agentLogs(let s): table(s.list, columns: Columns.logs, row: Columns.logRow, noun: "agent logs", state, body, &buffer)
        case .transcript(let t): transcript(t, state, body, &buffer)
        case .logDetail(let l): textLines(LogDetailLayout.lines(l.log, width: body.width), offset: l.offset, body, &buffer)
        case .diff(let d): diff(d, state, body, &buffer)
        case .verification(let v): VerificationRender.render(v, state, body, &buffer)
        case .classList(let c): classList(c, state, body, &buffer)
        case .wizard(let w): WizardRender.render(w, state, body, &buffer)
        }
    }

    static func table<Row>(_ list: PagedList<Row>, columns: [TableColumn], row: (Row) -> TableRow, noun: String,
                           _ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        if list.rows.isEmpty {
            Table(columns: columns, rows: []).render(into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1))
            let y = area.y + 1
            if list.isLoading { buffer.put("\(Spinner.frame(state.tick)) loading \(noun)…", x: 1, y: y, style: .accent) }
            else if let error = list.error {
                buffer.put(TextLayout.truncate("✗ could not load \(noun): \(error)", toWidth: area.width - 1), x: 1, y: y, style: .error)
            }
            else if list.isLoaded {
                let text = list.filter.map { "no \(noun) match “\($0)”" } ?? "no \(noun)"
                buffer.put(TextLayout.truncate(text, toWidth: area.width - 1), x: 1, y: y, style: .dim)
            }
            return
        }
        Table(columns: columns, rows: list.rows.map(row), selected: list.cursor, top: list.top).render(into: &buffer, area: area)
    }

    static func userScreen(_ s: UserScreen, _ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        var x = area.x
        for tab in UserScreen.Tab.allCases {
            let label = " \(tab.rawValue + 1) \(tab.name) "
            x = buffer.put(label, x: x, y: area.y, style: tab == s.tab ? .selected : .dim)
            x = buffer.put("│", x: x, y: area.y, style: .dim)
        }
        let rest = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        switch s.tab {
        case .profiles: table(s.profiles, columns: Columns.profiles, row: Columns.profileRow, noun: "profiles", state, rest, &buffer)
        case .sessions: table(s.sessions, columns: Columns.sessions, row: Columns.sessionRow, noun: "sessions", state, rest, &buffer)
        case .memories: table(s.memories, columns: Columns.memories(state), row: Columns.memoryRow(state), noun: "memories", state, rest, &buffer)
        case .agentLogs: table(s.logs, columns: Columns.logs, row: Columns.logRow, noun: "agent logs", state, rest, &buffer)
        }
    }

    static func transcript(_ t: TranscriptScreen, _ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        if t.list.rows.isEmpty {
            if t.list.isLoading { buffer.put("\(Spinner.frame(state.tick)) loading messages…", x: 1, y: area.y, style: .accent) }
            else if let error = t.list.error {
                buffer.put(TextLayout.truncate("✗ could not load messages: \(error)", toWidth: area.width - 1), x: 1, y: area.y, style: .error)
            }
            else if t.list.isLoaded { buffer.put(t.list.filter.map { "no messages match “\($0)”" } ?? "no messages in this session", x: 1, y: area.y, style: .dim) }
            return
        }
        textLines(TranscriptLayout.lines(t.list.rows, width: area.width), offset: t.lineOffset, area, &buffer)
    }

    static func textLines(_ lines: [TextLine], offset: Int, _ area: Rect, _ buffer: inout Buffer) {
        for i in 0..<area.height {
            let index = offset + i
            guard index < lines.count else { break }
            buffer.put(lines[index].text, x: area.x, y: area.y + i, style: lines[index].style, limit: area.width)
        }
    }

    static func diff(_ d: DiffScreen, _ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        switch d.phase {
        case .loading:
            buffer.put("\(Spinner.frame(state.tick)) fetching the Mem0 record of legacy memory #\(d.ref.legacyID)…", x: 1, y: area.y, style: .accent)
        case .loaded(let model):
            DiffView.render(model, offset: d.offset, into: &buffer, area: area)
        case .failed(let message, let legacy):
            buffer.fill(x: area.x, y: area.y, width: area.width, height: 2, style: .error)
            buffer.put(" ✗ Mem0 could not be asked — the comparison is unknown (r retries)", x: area.x, y: area.y, style: .error, limit: area.width)
            buffer.put(" " + TextLayout.truncate(message, toWidth: area.width - 2), x: area.x, y: area.y + 1, style: .error)
            guard let legacy else { return }
            let comparison = MemoryComparison(legacy: legacy, record: nil)
            var y = area.y + 3
            buffer.put("legacy #\(legacy.id) (\(legacy.source.name))", x: area.x, y: y, style: .header); y += 1
            for line in comparison.lines where y < area.maxY {
                buffer.put(TextLayout.fit(line.field.rawValue, width: DiffView.labelWidth - 1), x: area.x, y: y, style: .bold)
                for piece in TextLayout.wrap(line.legacyValue, width: area.width - DiffView.labelWidth) where y < area.maxY {
                    buffer.put(piece, x: area.x + DiffView.labelWidth, y: y); y += 1
                }
            }
        }
    }

    static func classList(_ c: ClassListScreen, _ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        guard c.kind == .mismatches else {
            table(c.list, columns: Columns.classified(c.kind), row: Columns.classifiedRow, noun: "rows", state, area, &buffer)
            return
        }
        let columns = [TableColumn("Kind", min: 8, max: 18), TableColumn("Legacy", min: 6, alignRight: true),
                       TableColumn("Mem0 id", min: 8, max: 36, flex: 1), TableColumn("Detail", min: 10, flex: 3)]
        let rows = c.mismatches.map { m in
            TableRow([m.kind.rawValue, m.legacyID.map { "#\($0)" } ?? "—", m.mem0ID ?? "—", m.detail], styles: [.error])
        }
        if rows.isEmpty {
            Table(columns: columns, rows: []).render(into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1))
            buffer.put("✓ no mismatches", x: 1, y: area.y + 1, style: .ok)
            return
        }
        Table(columns: columns, rows: rows, selected: c.mismatchCursor, top: c.mismatchTop).render(into: &buffer, area: area)
    }
}

/// Column sets and row builders of the list screens.
enum Columns {
    /// Usernames are short handles: content width only. Display names are the free text that benefits from room,
    /// so they take the spare width, up to a cap that keeps the counts near the names on a wide screen.
    static let users = [TableColumn("ID", min: 2, alignRight: true), TableColumn("Username", min: 8, max: 24),
                        TableColumn("Display name", min: 12, max: 40, flex: 1), TableColumn("Profiles", min: 3, alignRight: true),
                        TableColumn("Sessions", min: 3, alignRight: true), TableColumn("Memories", min: 3, alignRight: true),
                        TableColumn("Created", min: 16, max: 16)]
    static func userRow(_ u: UserRow) -> TableRow {
        TableRow([String(u.id), u.username, u.displayName ?? "—", Format.count(u.profiles), Format.count(u.sessions),
                  Format.count(u.memories), DateText.short(u.createdAt)])
    }

    static let profiles = [TableColumn("ID", min: 2, alignRight: true), TableColumn("Name", min: 8, max: 30, flex: 1),
                           TableColumn("Default", min: 7), TableColumn("Memories", min: 3, alignRight: true),
                           TableColumn("Description", min: 8, flex: 2), TableColumn("Created", min: 16, max: 16)]
    static func profileRow(_ p: ProfileRow) -> TableRow {
        TableRow([String(p.id), p.name, p.isDefault ? "✓" : "", Format.count(p.memories), p.description ?? "—", DateText.short(p.createdAt)],
                 styles: [.plain, .bold])
    }

    static let sessions = [TableColumn("ID", min: 2, alignRight: true), TableColumn("Title", min: 8, flex: 2),
                           TableColumn("Profile", min: 7, max: 20, flex: 1), TableColumn("Msgs", min: 4, alignRight: true),
                           TableColumn("Started", min: 16, max: 16), TableColumn("Ended", min: 16, max: 16)]
    static func sessionRow(_ s: SessionRow) -> TableRow {
        TableRow([String(s.id), s.title ?? "(untitled)", s.profileName ?? "—", Format.count(s.messages),
                  DateText.short(s.startedAt), s.endedAt.map { DateText.short($0) } ?? "open"])
    }

    static func memories(_ state: AppState) -> [TableColumn] {
        // The minimums are what an operator needs at 80 columns on a migrated file: a whole memory type, "✗ not
        // linked" or a uuid prefix long enough to recognise, "(content is in Mem0)", and the first tag.
        var columns = [TableColumn("ID", min: 2, alignRight: true), TableColumn("Profile", min: 7, max: 16),
                       TableColumn("Type", min: 10, max: 12)]
        if state.status.fileState != .legacy { columns.append(TableColumn("Mem0 id", min: 12, max: 36)) }
        columns += [TableColumn("Content", min: 20, flex: 3), TableColumn("Tags", min: 6, max: 24, flex: 1),
                    TableColumn("Created", min: 16, max: 16)]
        return columns
    }
    static func memoryRow(_ state: AppState) -> (MemoryRow) -> TableRow {
        let withMem0 = state.status.fileState != .legacy
        return { memoryRow($0, withMem0: withMem0) }
    }

    /// The Mem0 id column exists only once the file is (partly) migrated.
    static func memoryRow(_ m: MemoryRow, withMem0: Bool) -> TableRow {
        var cells = [String(m.id), m.profileName ?? m.profileID.map { "#\($0)" } ?? "—", m.memoryType ?? "—"]
        var styles: [Style] = [.plain, .plain, .plain]
        if withMem0 {
            let (text, style) = linkCell(m)
            cells.append(text); styles.append(style)
        }
        cells += [m.content ?? "(content is in Mem0)", m.tags.joined(separator: ", "), DateText.short(m.createdAt)]
        styles += [m.content == nil ? .dim : .plain, .dim, .plain]
        return TableRow(cells, styles: styles)
    }

    /// The Mem0 column of a memory: its Mem0 id once linked, else where the run has it.
    static func linkCell(_ m: MemoryRow) -> (String, Style) {
        if let id = m.mem0ID { return (id, .dim) }
        switch m.link {
        case .pending?: return ("· pending", .dim)
        case .inFlight?: return ("… in flight", .warning)
        case .rejected?: return ("✗ rejected", .error)
        case .duplicate(let of)?: return (of.map { "= dup of #\($0)" } ?? "= duplicate", .warning)
        case .linked?, nil: return ("✗ not linked", .error)
        }
    }

    static let logs = [TableColumn("ID", min: 2, alignRight: true), TableColumn("Level", min: 5, max: 8),
                       TableColumn("Agent", min: 6, max: 24, flex: 1), TableColumn("Action", min: 6, flex: 2),
                       TableColumn("Session", min: 7, alignRight: true), TableColumn("Time", min: 16, max: 16)]
    static func logRow(_ l: AgentLogRow) -> TableRow {
        TableRow([String(l.id), l.level, l.agent, l.action, l.sessionID.map { "#\($0)" } ?? "—", DateText.short(l.createdAt)],
                 styles: [.plain, LevelStyle.of(l.level)])
    }

    static func classified(_ kind: ClassListScreen.Kind) -> [TableColumn] {
        [TableColumn("Legacy", min: 6, alignRight: true), TableColumn("User", min: 4, alignRight: true),
         TableColumn(kind == .rejected ? "Reason" : "Duplicate of", min: 12, max: 48, flex: 1), TableColumn("Content", min: 10, flex: 2)]
    }
    static func classifiedRow(_ r: ClassifiedRow) -> TableRow {
        TableRow(["#\(r.id)", r.userID.map(String.init) ?? "—", r.detail, r.content], styles: [.plain, .plain, .warning])
    }
}
