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

    public static func viewport(of screen: Screen, in state: AppState) -> Int { screen.viewport(ScreenContext(state)) }
}

/// The root: what is the same on every screen (quit, back, help, the `/` prompt, `v`, `m`, resize, ticks, the
/// status line) and the routing of everything else to the screens. No screen is named here but the first.
enum Updater {
    static func update(_ state: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .tick:
            if state.isBusy { state.tick &+= 1 }
            return []
        case .resize(let w, let h):
            state.width = max(1, w); state.height = max(1, h)
            let context = ScreenContext(state)
            for i in state.stack.indices { state.stack[i].mutate { $0.resized(context) } }
            return []
        case .refresh:
            return onTop(&state) { $0.perform(.refresh, &$1) }
        case .key(let key):
            return handle(key, &state)
        case .statusChanged(let info):
            let fileChanged = info.fileState != state.status.fileState
            let rowsChanged = info.liveRefresh.lastChange != state.status.liveRefresh.lastChange
            state.status = info
            if !fileChanged && rowsChanged {
                // Another program wrote rows: every list on the stack reads its window again, cursor in place.
                var effects: [Effect] = []
                for i in state.stack.indices {
                    var context = ScreenContext(state)
                    effects += state.stack[i].mutate { $0.rowsChanged(&context) }
                }
                return effects
            }
            guard fileChanged else { return [] }
            // Every screen on the stack that shows what the file's state changes reads it again, keeping its place.
            var effects: [Effect] = []
            for i in state.stack.indices {
                var context = ScreenContext(state)
                effects += state.stack[i].mutate { $0.fileChanged(&context) }
            }
            return effects
        case .error(let text):
            state.notice = .init(text, isError: true)
            return []
        default:
            return deliver(message, &state)
        }
    }

    /// A result goes to the topmost screen that takes it (a page to the list that asked for it, an engine event to
    /// the wizard); a stale one is taken by none and dropped.
    static func deliver(_ message: Message, _ state: inout AppState) -> [Effect] {
        for i in state.stack.indices.reversed() {
            var context = ScreenContext(state)
            if let effects = state.stack[i].mutate({ $0.receive(message, &context) }) {
                apply(context, from: i, &state)
                return effects
            }
        }
        return []
    }

    /// Runs `body` on the top screen with a context, then applies what it asked of the stack.
    static func onTop(_ state: inout AppState, _ body: (inout any ScreenComponent, inout ScreenContext) -> [Effect]) -> [Effect] {
        let index = state.stack.count - 1
        var context = ScreenContext(state)
        let effects = state.stack[index].mutate { body(&$0, &context) }
        apply(context, from: index, &state)
        return effects
    }

    static func apply(_ context: ScreenContext, from index: Int, _ state: inout AppState) {
        if let notice = context.notice { state.notice = notice }
        if let replacement = context.replacement {
            state.stack[index] = replacement
            state.stack.removeSubrange((index + 1)...)
        }
        state.stack += context.pushed
    }

    // MARK: Keys

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        if key == .ctrl("c") {
            guard state.screen.confirmsInterrupt else { state.hasQuit = true; return [.quit] }
            // Rows are in flight: Ctrl-C asks first, and a second one cancels the run cleanly (it stays resumable).
            if state.interruptArmed {
                state.interruptArmed = false
                state.notice = nil
                return onTop(&state) { $0.perform(.cancelRun, &$1) }
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
            return onTop(&state) { $0.applyFilter(text, &$1) }
        case .backspace, .delete: if !text.isEmpty { text.removeLast() }
        case .char(let c): text.append(c)
        default: return []
        }
        state.prompt = text
        return []
    }

    static func perform(_ action: Action, _ state: inout AppState) -> [Effect] {
        switch action {
        case .quit: state.hasQuit = true; return [.quit]
        case .back: return goBack(&state)
        case .help: state.showsHelp = true; return []
        case .filter:
            guard let current = state.screen.filter else { return [] }
            state.prompt = current ?? ""
            return []
        case .jump:
            // The same prompt as `/`, started with `#`: Enter jumps (`ListPane.jumpTarget`).
            guard state.screen.filter != nil else { return [] }
            state.prompt = "#"
            return []
        case .verify:
            var context = ScreenContext(state)
            let effects = context.open(VerificationScreen())
            apply(context, from: state.stack.count - 1, &state)
            return effects
        case .metadataRows:
            var context = ScreenContext(state)
            let effects = context.open(MetadataRowsScreen())
            apply(context, from: state.stack.count - 1, &state)
            return effects
        case .audit:
            var context = ScreenContext(state)
            let effects = context.open(DriftAuditScreen())
            apply(context, from: state.stack.count - 1, &state)
            return effects
        case .migrate:
            var context = ScreenContext(state)
            let effects = context.open(WizardScreen())
            apply(context, from: state.stack.count - 1, &state)
            return effects
        default:
            return onTop(&state) { $0.perform(action, &$1) }
        }
    }

    static func goBack(_ state: inout AppState) -> [Effect] {
        var context = ScreenContext(state)
        let index = state.stack.count - 1
        let handled = state.stack[index].mutate { $0.back(&context) }
        apply(context, from: index, &state)
        if handled { return [] }
        if state.stack.count > 1 { state.stack.removeLast(); return [] }
        state.hasQuit = true
        return [.quit]
    }
}
