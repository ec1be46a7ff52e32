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
        let live: (text: String, style: Style)?
        switch s.liveRefresh {
        case .notWatched: live = nil
        case .live(let date): live = (" live" + (date.map { " · changed \(DateText.time($0))" } ?? ""), .ok)
        case .unavailable: live = (" not live (r reloads)", .warning)
        }
        let fixed = DisplayWidth.of(stateText) + DisplayWidth.of(mem0) + 4 + spinnerRoom + 5 + DisplayWidth.of(live?.text ?? "")
        let fileRoom = max(8, buffer.width - x - fixed)
        x = buffer.put(TextLayout.truncate(s.filePath, toWidth: fileRoom), x: x, y: 0, style: .header)
        x = buffer.put(stateText, x: x + 1, y: 0, style: stateStyle)
        // What this console does to the file right now: `ro` while browsing; `rw` (loud) while the wizard's run writes it.
        x = s.isReadOnly ? buffer.put(" ro", x: x, y: 0, style: .header) : buffer.put(" rw ", x: x + 1, y: 0, style: .warning)
        if let live { x = buffer.put(live.text, x: x, y: 0, style: live.style) }
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

    /// What the message line says when there is no prompt or notice: the screen's own footer.
    static func footer(_ state: AppState) -> (text: String, style: Style)? { state.screen.footer(ScreenContext(state)) }

    static func screen(_ state: AppState, body: Rect, into buffer: inout Buffer) {
        guard body.height > 0 else { return }
        state.screen.render(ScreenContext(state), area: body, into: &buffer)
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

    static func memories(_ status: StatusInfo) -> [TableColumn] {
        // The minimums are what an operator needs at 80 columns on a migrated file: a whole memory type, "✗ not
        // linked" or a uuid prefix long enough to recognise, "(content is in Mem0)", and the first tag.
        var columns = [TableColumn("ID", min: 2, alignRight: true), TableColumn("Profile", min: 7, max: 16),
                       TableColumn("Type", min: 10, max: 12)]
        if status.fileState != .legacy { columns.append(TableColumn("Mem0 id", min: 12, max: 36)) }
        columns += [TableColumn("Content", min: 20, flex: 3), TableColumn("Tags", min: 6, max: 24, flex: 1),
                    TableColumn("Created", min: 16, max: 16)]
        return columns
    }
    static func memoryRow(_ status: StatusInfo) -> (MemoryRow) -> TableRow {
        let withMem0 = status.fileState != .legacy
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
}
