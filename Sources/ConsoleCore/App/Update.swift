import Foundation
import Migration

/// The only writer of the console state: applies one message and returns the effects to run.
public func update(_ state: inout AppState, _ message: Message) -> [Effect] {
    Updater.update(&state, message)
}

/// Rows available to a screen's scrolling part, shared by `update` (paging limits) and `render` (layout).
public enum Layout {
    /// Rows the verification header takes at 80 columns and wider (two-line equations, four bars, legend, note).
    /// Narrower areas can need more; `verificationHeaderRows(_:width:)` gives the exact count.
    public static let verificationHeaderRows = 10

    public static func verificationHeaderRows(_ result: VerificationResult, width: Int) -> Int {
        VerificationRender.headerRows(result, width: width)
    }

    public static func viewport(of screen: Screen, in state: AppState) -> Int {
        let body = state.bodyHeight
        switch screen {
        case .users, .memories, .sessions, .agentLogs, .classList: return max(1, body - 1)
        case .user: return max(1, body - 2)
        case .transcript, .logDetail: return body
        case .diff: return max(1, body - 1)
        case .verification(let v):
            guard case .loaded(let result) = v.phase else { return max(1, body - verificationHeaderRows - 1) }
            return max(1, body - verificationHeaderRows(result, width: state.width) - 1)
        case .wizard: return body
        }
    }
}

enum Updater {
    static func update(_ state: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .tick:
            if state.isBusy { state.tick &+= 1 }
            return []
        case .resize(let w, let h):
            state.width = max(1, w); state.height = max(1, h)
            for i in state.stack.indices {
                let vp = Layout.viewport(of: state.stack[i], in: state)
                _ = state.stack[i].apply(.settle, viewport: vp)
            }
            clampTextScroll(&state)
            return []
        case .refresh:
            return refresh(&state)
        case .key(let key):
            return handle(key, &state)
        case .pageLoaded(let id, let rows, let query, let hasMore):
            for i in state.stack.indices.reversed() {
                let vp = Layout.viewport(of: state.stack[i], in: state)
                var anchor: (Int64, Int)? = nil
                if case .transcript(let t) = state.stack[i] { anchor = transcriptAnchor(t, state) }
                if state.stack[i].receive(id, rows, query, hasMore: hasMore, viewport: vp) {
                    if case .transcript(var t) = state.stack[i] {
                        restoreTranscript(&t, anchor: anchor, state)
                        state.stack[i] = .transcript(t)
                    }
                    break
                }
            }
            return []
        case .pageFailed(let id, let query, let text):
            for i in state.stack.indices { state.stack[i].fail(id, query, text) }
            return []
        case .mem0RecordLoaded(let ref, let legacy, let record):
            updateDiffs(&state, ref) { screen in
                screen.phase = .loaded(DiffModel(comparison: MemoryComparison(legacy: legacy, record: record),
                                                 legacySource: screen.legacySource))
            }
            return []
        case .mem0RecordFailed(let ref, let legacy, let text):
            updateDiffs(&state, ref) { $0.phase = .failed(message: text, legacy: legacy) }
            return []
        case .verificationLoaded(let result):
            if case .wizard(var w) = state.screen, w.step == .verify {
                w.report.apply(.verified(result)); w.phase = .idle
                state.screen = .wizard(w)
            } else if case .verification(var v) = state.screen {
                v.phase = .loaded(result); v.cursor = min(v.cursor, max(0, result.users.count - 1))
                state.screen = .verification(v)
            }
            return []
        case .verificationFailed(let text):
            if case .wizard(var w) = state.screen, w.step == .verify {
                w.phase = .failed(text); state.screen = .wizard(w)
            } else if case .verification(var v) = state.screen {
                v.phase = .failed(text); state.screen = .verification(v)
            }
            return []
        case .preflightLoaded(let info):
            guard case .wizard(var w) = state.screen else { return [] }
            w.preflight = info; w.phase = .idle
            state.screen = .wizard(w)
            return []
        case .preflightFailed(let text):
            guard case .wizard(var w) = state.screen else { return [] }
            w.phase = .failed(text); state.screen = .wizard(w)
            return []
        case .migrationEvent(let event):
            return WizardFlow.receive(event, &state)
        case .statusChanged(let info):
            let fileChanged = info.fileState != state.status.fileState
            state.status = info
            return fileChanged ? reloadLists(&state) : []
        case .error(let text):
            state.notice = .init(text, isError: true)
            return []
        }
    }

    /// After the file changed state (a migration finalized, a rollback): every list on the stack that was loaded is
    /// read again, so the user counts and memory lists (now `memories_metadata` with Mem0 ids) match the file.
    /// Each list keeps its place (`refresh` reloads from the first row held). Transcripts and logs are unchanged by
    /// a migration and are left alone.
    static func reloadLists(_ state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        for i in state.stack.indices {
            let vp = Layout.viewport(of: state.stack[i], in: state)
            func reload<Row>(_ list: inout PagedList<Row>) {
                guard list.isLoaded || list.isLoading else { return }
                if let effect = ListCommand.refresh.apply(to: &list, viewport: vp) { effects.append(effect) }
            }
            switch state.stack[i] {
            case .users(var list):
                reload(&list); state.stack[i] = .users(list)
            case .user(var s):
                reload(&s.profiles); reload(&s.memories); state.stack[i] = .user(s)
            case .memories(var s):
                reload(&s.list); state.stack[i] = .memories(s)
            default:
                break
            }
        }
        return effects
    }

    static func updateDiffs(_ state: inout AppState, _ ref: MemoryRef, _ change: (inout DiffScreen) -> Void) {
        for i in state.stack.indices {
            if case .diff(var d) = state.stack[i], d.ref == ref, d.phase == .loading {
                change(&d); state.stack[i] = .diff(d)
            }
        }
    }

    // MARK: Keys

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        if key == .ctrl("c") {
            guard case .wizard(let w) = state.screen, w.isRunning else { state.hasQuit = true; return [.quit] }
            // Rows are in flight: Ctrl-C asks first, and a second one cancels the run cleanly (it stays resumable).
            if state.interruptArmed {
                state.interruptArmed = false
                state.notice = nil
                return WizardFlow.perform(.cancelRun, &state)
            }
            state.interruptArmed = true
            state.notice = .init("A migration is running. Ctrl-C again cancels it cleanly (resumable); any other key goes on.", isError: true)
            return []
        }
        state.interruptArmed = false
        if state.showsHelp { state.showsHelp = false; return [] }
        if state.prompt != nil { return editPrompt(key, &state) }
        state.notice = nil
        guard let binding = state.screen.bindings.first(where: { $0.keys.contains(key) }) else { return [] }
        return perform(binding.action, &state)
    }

    static func editPrompt(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var text = state.prompt else { return [] }
        switch key {
        case .escape: state.prompt = nil; return []
        case .enter:
            state.prompt = nil
            let vp = Layout.viewport(of: state.screen, in: state)
            if case .transcript(var t) = state.screen { t.lineOffset = 0; state.screen = .transcript(t) }
            return state.screen.apply(.filter(text), viewport: vp).map { [$0] } ?? []
        case .backspace, .delete: if !text.isEmpty { text.removeLast() }
        case .char(let c): text.append(c)
        default: return []
        }
        state.prompt = text
        return []
    }

    static func perform(_ action: Action, _ state: inout AppState) -> [Effect] {
        let vp = Layout.viewport(of: state.screen, in: state)
        switch action {
        case .quit: state.hasQuit = true; return [.quit]
        case .back: return goBack(&state)
        case .help: state.showsHelp = true; return []
        case .filter:
            guard state.screen.hasFilterableList else { return [] }
            state.prompt = state.screen.currentFilter ?? ""
            return []
        case .verify: return openVerification(&state)
        case .migrate:
            state.stack.append(.wizard(WizardScreen()))
            return [.runPreflight]
        case .refresh: return refresh(&state)
        default: break
        }
        switch state.screen {
        case .transcript, .logDetail, .diff: return scrollText(action, &state)
        case .verification(var v):
            // Drill-downs push a screen: write the verification state back to its own slot, not to the new top.
            let index = state.stack.count - 1
            let effects = verificationAction(action, &v, &state)
            state.stack[index] = .verification(v)
            return effects
        case .wizard: return WizardFlow.perform(action, &state)
        case .user(var s) where [.nextTab, .previousTab].contains(action) || { if case .tab = action { return true }; return false }():
            switch action {
            case .nextTab: s.tab = UserScreen.Tab(rawValue: (s.tab.rawValue + 1) % 4)!
            case .previousTab: s.tab = UserScreen.Tab(rawValue: (s.tab.rawValue + 3) % 4)!
            case .tab(let n): s.tab = UserScreen.Tab(rawValue: n) ?? s.tab
            default: break
            }
            state.screen = .user(s)
            return state.screen.apply(.firstLoad, viewport: vp).map { [$0] } ?? []
        default: break
        }
        if case .classList(var c) = state.screen, c.kind == .mismatches, let command = ListCommand(action) {
            moveInMemory(command, cursor: &c.mismatchCursor, top: &c.mismatchTop, count: c.mismatches.count, viewport: vp)
            state.screen = .classList(c)
            return []
        }
        if let command = ListCommand(action) {
            return state.screen.apply(command, viewport: vp).map { [$0] } ?? []
        }
        if action == .open || action == .diff { return open(action, &state) }
        return []
    }

    static func goBack(_ state: inout AppState) -> [Effect] {
        if case .wizard(let w) = state.screen, w.step == .run, w.isRunning {
            state.notice = .init("The migration is running: press x to cancel it (it can be resumed later).", isError: true)
            return []
        }
        if case .wizard(var w) = state.screen, w.step == .confirm {
            w.step = .options; state.screen = .wizard(w); return []
        }
        if state.stack.count > 1 { state.stack.removeLast(); return [] }
        if case .users = state.screen { state.hasQuit = true; return [.quit] }
        return []
    }

    static func refresh(_ state: inout AppState) -> [Effect] {
        let vp = Layout.viewport(of: state.screen, in: state)
        switch state.screen {
        case .diff(var d):
            d.phase = .loading; state.screen = .diff(d)
            return [.fetchMem0Record(d.ref)]
        case .verification(var v):
            v.phase = .loading; state.screen = .verification(v)
            return [.loadVerification(sample: nil)]
        case .wizard:
            return WizardFlow.perform(.refresh, &state)
        case .transcript(var t):
            t.lineOffset = 0
            let q = t.list.home(viewport: vp)
            state.screen = .transcript(t)
            return [.loadPage(t.list.id, q)]
        case .classList(let c) where c.kind == .mismatches:
            return []
        default:
            return state.screen.apply(.refresh, viewport: vp).map { [$0] } ?? []
        }
    }

    static func openVerification(_ state: inout AppState) -> [Effect] {
        state.stack.append(.verification(VerificationScreen()))
        return [.loadVerification(sample: nil)]
    }

    static func open(_ action: Action, _ state: inout AppState) -> [Effect] {
        let vp = Layout.viewport(of: .users(PagedList(id: .users)), in: state)
        switch state.screen {
        case .users(let list):
            guard let user = list.selected else { return [] }
            var screen = Screen.user(UserScreen(user: user))
            let effect = screen.apply(.firstLoad, viewport: Layout.viewport(of: screen, in: state))
            state.stack.append(screen)
            return effect.map { [$0] } ?? []
        case .user(let s):
            switch s.tab {
            case .profiles:
                guard action == .open, let p = s.profiles.selected else { return [] }
                return push(.memories(MemoriesScreen(title: "Memories of profile “\(p.name)” (\(s.user.username))",
                                                     list: PagedList(id: .memories(userID: s.user.id, profileID: p.id)))), &state)
            case .sessions:
                guard action == .open, let session = s.sessions.selected else { return [] }
                return push(.transcript(TranscriptScreen(session: session)), &state)
            case .memories:
                guard let m = s.memories.selected else { return [] }
                return openDiff(MemoryRef(legacyID: m.id, mem0ID: m.mem0ID), &state)
            case .agentLogs:
                guard action == .open, let log = s.logs.selected else { return [] }
                state.stack.append(.logDetail(LogDetailScreen(log: log)))
                return []
            }
        case .memories(let s):
            guard let m = s.list.selected else { return [] }
            return openDiff(MemoryRef(legacyID: m.id, mem0ID: m.mem0ID), &state)
        case .sessions(let s):
            guard let session = s.list.selected else { return [] }
            return push(.transcript(TranscriptScreen(session: session)), &state)
        case .agentLogs(let s):
            guard let log = s.list.selected else { return [] }
            state.stack.append(.logDetail(LogDetailScreen(log: log)))
            return []
        case .classList(let c):
            if c.kind == .mismatches {
                guard c.mismatches.indices.contains(c.mismatchCursor), let id = c.mismatches[c.mismatchCursor].legacyID else { return [] }
                return openDiff(MemoryRef(legacyID: id, mem0ID: c.mismatches[c.mismatchCursor].mem0ID), &state)
            }
            guard let row = c.list.selected else { return [] }
            return openDiff(MemoryRef(legacyID: row.id, mem0ID: nil), &state)
        default:
            _ = vp
            return []
        }
    }

    static func push(_ screen: Screen, _ state: inout AppState) -> [Effect] {
        var screen = screen
        let effect: Effect?
        if case .transcript(var t) = screen {
            effect = .loadPage(t.list.id, t.list.home(viewport: Layout.viewport(of: screen, in: state)))
            screen = .transcript(t)
        } else {
            effect = screen.apply(.firstLoad, viewport: Layout.viewport(of: screen, in: state))
        }
        state.stack.append(screen)
        return effect.map { [$0] } ?? []
    }

    static func openDiff(_ ref: MemoryRef, _ state: inout AppState) -> [Effect] {
        let source = state.status.fileState == .legacy ? "memories" : "memories_backup"
        state.stack.append(.diff(DiffScreen(ref: ref, legacySource: source)))
        return [.fetchMem0Record(ref)]
    }

    static func moveInMemory(_ command: ListCommand, cursor: inout Int, top: inout Int, count: Int, viewport: Int) {
        switch command {
        case .down: cursor += 1
        case .up: cursor -= 1
        case .pageDown: cursor += viewport
        case .pageUp: cursor -= viewport
        case .halfDown: cursor += max(1, viewport / 2)
        case .halfUp: cursor -= max(1, viewport / 2)
        case .top: cursor = 0
        case .end: cursor = count - 1
        default: break
        }
        cursor = min(max(0, cursor), max(0, count - 1))
        top = Scrolling.top(cursor: cursor, top: top, height: viewport, count: count)
    }

    static func verificationAction(_ action: Action, _ v: inout VerificationScreen, _ state: inout AppState) -> [Effect] {
        guard case .loaded(let result) = v.phase else { return [] }
        let vp = Layout.viewport(of: .verification(v), in: state)
        switch action {
        case .showRejected, .showDuplicates:
            let kind: ClassListScreen.Kind = action == .showRejected ? .rejected : .duplicates
            var list = PagedList<ClassifiedRow>(id: kind == .rejected ? .rejectedRows : .duplicateRows)
            let screen = Screen.classList(ClassListScreen(kind: kind, list: list))
            let query = list.home(viewport: Layout.viewport(of: screen, in: state))
            state.stack.append(.classList(ClassListScreen(kind: kind, list: list)))
            return [.loadPage(list.id, query)]
        case .showMismatches:
            var c = ClassListScreen(kind: .mismatches, list: PagedList(id: .rejectedRows))
            c.mismatches = result.mismatches
            state.stack.append(.classList(c))
            return []
        default:
            if let command = ListCommand(action) {
                moveInMemory(command, cursor: &v.cursor, top: &v.top, count: result.users.count, viewport: vp)
            }
            return []
        }
    }

    // MARK: Scrolling text (transcript, log detail, diff)

    static func textLineCount(_ screen: Screen, _ state: AppState) -> Int {
        switch screen {
        case .transcript(let t): return TranscriptLayout.lines(t.list.rows, width: state.width).count
        case .logDetail(let l): return LogDetailLayout.lines(l.log, width: state.width).count
        case .diff(let d):
            if case .loaded(let model) = d.phase { return DiffView.rows(model, width: state.width).count }
            return 0
        default: return 0
        }
    }

    static func scrollText(_ action: Action, _ state: inout AppState) -> [Effect] {
        let vp = Layout.viewport(of: state.screen, in: state)
        let total = textLineCount(state.screen, state)
        let maxOffset = max(0, total - vp)
        var offset: Int
        switch state.screen {
        case .transcript(let t): offset = t.lineOffset
        case .logDetail(let l): offset = l.offset
        case .diff(let d): offset = d.offset
        default: return []
        }
        var effects: [Effect] = []
        switch action {
        case .moveDown: offset += 1
        case .moveUp: offset -= 1
        case .pageDown: offset += vp
        case .pageUp: offset -= vp
        case .halfPageDown: offset += max(1, vp / 2)
        case .halfPageUp: offset -= max(1, vp / 2)
        case .top: offset = 0
        case .end: offset = maxOffset
        case .agentLogs:
            if case .transcript(let t) = state.screen {
                return push(.agentLogs(AgentLogsScreen(title: "Agent logs of session #\(t.session.id)",
                                                       list: PagedList(id: .agentLogs(.session(t.session.id))))), &state)
            }
            return []
        default: return []
        }
        if case .transcript(var t) = state.screen {
            // The transcript pages by message: Home/End load the first/last page, scrolling past either end the next.
            switch action {
            case .top:
                // Also when a jump to the end is still pending: the newer wish wins and the old page will be stale.
                t.wantsBottom = false
                if t.list.hasMoreBefore || t.list.isLoading { effects.append(.loadPage(t.list.id, t.list.home(viewport: vp))) }
            case .end:
                if t.list.hasMoreAfter { t.wantsBottom = true; effects.append(.loadPage(t.list.id, t.list.end(viewport: vp))) }
            default:
                if offset > maxOffset, t.list.hasMoreAfter, !t.list.isLoading, let last = t.list.rows.last {
                    effects.append(.loadPage(t.list.id, t.list.request(.after(last.id), limit: vp, intent: .lineDown)))
                } else if offset < 0, t.list.hasMoreBefore, !t.list.isLoading, let first = t.list.rows.first {
                    effects.append(.loadPage(t.list.id, t.list.request(.before(first.id), limit: vp, intent: .lineUp)))
                }
            }
            t.lineOffset = min(max(0, offset), maxOffset)
            state.screen = .transcript(t)
            return effects
        }
        offset = min(max(0, offset), maxOffset)
        switch state.screen {
        case .logDetail(var l): l.offset = offset; state.screen = .logDetail(l)
        case .diff(var d): d.offset = offset; state.screen = .diff(d)
        default: break
        }
        return effects
    }

    static func clampTextScroll(_ state: inout AppState) {
        let vp = Layout.viewport(of: state.screen, in: state)
        let maxOffset = max(0, textLineCount(state.screen, state) - vp)
        switch state.screen {
        case .transcript(var t): t.lineOffset = min(t.lineOffset, maxOffset); state.screen = .transcript(t)
        case .logDetail(var l): l.offset = min(l.offset, maxOffset); state.screen = .logDetail(l)
        case .diff(var d): d.offset = min(d.offset, maxOffset); state.screen = .diff(d)
        default: break
        }
    }

    /// The message at the top of the view and how far into it, so a merged page does not move what the reader sees.
    static func transcriptAnchor(_ t: TranscriptScreen, _ state: AppState) -> (Int64, Int)? {
        let lines = TranscriptLayout.lines(t.list.rows, width: state.width)
        guard lines.indices.contains(t.lineOffset) else { return nil }
        let id = lines[t.lineOffset].sourceID
        let start = lines.firstIndex { $0.sourceID == id } ?? t.lineOffset
        return (id, t.lineOffset - start)
    }

    static func restoreTranscript(_ t: inout TranscriptScreen, anchor: (Int64, Int)?, _ state: AppState) {
        let vp = Layout.viewport(of: .transcript(t), in: state)
        let lines = TranscriptLayout.lines(t.list.rows, width: state.width)
        let maxOffset = max(0, lines.count - vp)
        if t.wantsBottom { t.wantsBottom = false; t.lineOffset = maxOffset; return }
        if let (id, delta) = anchor, let start = lines.firstIndex(where: { $0.sourceID == id }) {
            t.lineOffset = min(start + delta, maxOffset)
        } else {
            t.lineOffset = 0
        }
    }
}
