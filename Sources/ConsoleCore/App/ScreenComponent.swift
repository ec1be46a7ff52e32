import Foundation

/// One screen of the console, whole: its state, its key table, what its actions do, how it takes the results of its
/// effects, its viewport and how it draws. Like a Bubble Tea model nested in the program's, or a ratatui stateful
/// widget with its own state type: the root (`Updater`, `Renderer`) only routes to it.
///
/// Adding a screen is one new file with a type that conforms, and one line in `Screens.all`. The root handles what is
/// the same everywhere (quit, back, help, the `/` prompt, `v`, `m`); everything else reaches the screen.
public protocol ScreenComponent: Equatable, Sendable {
    /// The screen's name in the breadcrumb.
    var title: String { get }
    /// Drives dispatch, the hint bar and the `?` overlay.
    var bindings: [KeyBinding] { get }
    /// Rows of the body that scroll (the rest is the screen's own header).
    func viewport(_ context: ScreenContext) -> Int
    /// Applies an action of its binding table; navigation goes through `context` (`push`, `replace`, `notice`).
    mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect]
    /// Takes a result (a page, a Mem0 record, a migration event...); nil when the message is not this screen's.
    mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]?
    /// Draws the body (between the breadcrumb and the message line).
    func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer)
    /// The message line when there is no prompt or notice (where the cursor is, a list's error).
    func footer(_ context: ScreenContext) -> (text: String, style: Style)?
    /// Something of this screen is in flight: the spinner turns.
    var isBusy: Bool { get }
    /// The list on show waits for its page: the run loop holds later keys until it arrives.
    var awaitsPage: Bool { get }
    /// The filter of the list on show, when `/` applies here (nil: `/` does nothing on this screen).
    var filter: String?? { get }
    mutating func applyFilter(_ text: String, _ context: inout ScreenContext) -> [Effect]
    /// `q`/Esc: true when the screen handled it (a step back inside the screen, or a refusal); false pops it.
    mutating func back(_ context: inout ScreenContext) -> Bool
    /// The terminal changed size: keep the cursor and the scroll position valid.
    mutating func resized(_ context: ScreenContext)
    /// The file changed state (a migration finalized): reload what depends on it, keeping the place.
    mutating func fileChanged(_ context: inout ScreenContext) -> [Effect]
    /// Another program wrote to the file (live refresh): reload the lists shown, keeping the cursor where it is.
    mutating func rowsChanged(_ context: inout ScreenContext) -> [Effect]
    /// Ctrl-C must be confirmed (a second Ctrl-C sends `.cancelRun` to the screen) instead of quitting at once.
    var confirmsInterrupt: Bool { get }
}

public extension ScreenComponent {
    func footer(_ context: ScreenContext) -> (text: String, style: Style)? { nil }
    mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? { nil }
    var isBusy: Bool { false }
    var awaitsPage: Bool { false }
    var filter: String?? { nil }
    mutating func applyFilter(_ text: String, _ context: inout ScreenContext) -> [Effect] { [] }
    mutating func back(_ context: inout ScreenContext) -> Bool { false }
    mutating func resized(_ context: ScreenContext) {}
    mutating func fileChanged(_ context: inout ScreenContext) -> [Effect] { [] }
    /// Screens without a list of the file's rows (a diff, a Mem0 history, the wizard) have nothing to reload.
    mutating func rowsChanged(_ context: inout ScreenContext) -> [Effect] { [] }
    var confirmsInterrupt: Bool { false }
}

/// The screens of the console. The key-table test walks this list; add a new screen's type here.
public enum Screens {
    public static let all: [any ScreenComponent.Type] = [
        UsersScreen.self, UserScreen.self, MemoriesScreen.self, AgentLogsScreen.self,
        TranscriptScreen.self, LogDetailScreen.self, DiffScreen.self, VerificationScreen.self,
        ClassifiedRowsScreen.self, MismatchesScreen.self, WizardScreen.self, DriftAuditScreen.self,
        Mem0SearchScreen.self, Mem0HistoryScreen.self, MemoryRowsScreen.self, MetadataRowsScreen.self,
    ]
}

/// What a screen sees of the console while it acts, and what it asks the root to do with the stack.
public struct ScreenContext: Sendable {
    public let width: Int
    public let height: Int
    public let status: StatusInfo
    /// The spinner's frame.
    public let tick: Int
    /// Rows between the two top lines and the two bottom lines.
    public var bodyHeight: Int { max(1, height - 4) }

    /// Screens to push on top of this one, in order.
    public private(set) var pushed: [Screen] = []
    /// A screen to take this one's place (the wizard's last step opens verification).
    public private(set) var replacement: Screen?
    public var notice: AppState.Notice?

    public init(width: Int, height: Int, status: StatusInfo, tick: Int = 0) {
        self.width = width; self.height = height; self.status = status; self.tick = tick
    }

    init(_ state: AppState) { self.init(width: state.width, height: state.height, status: state.status, tick: state.tick) }

    public mutating func push(_ screen: some ScreenComponent) { pushed.append(Screen(screen)) }

    /// `y`: puts `text` (a full Mem0 id) on the terminal's clipboard and says so on the message line.
    public mutating func copy(_ text: String) -> [Effect] {
        notice = .init("copied \(text)", isError: false)
        return [.copyToClipboard(text)]
    }
    public mutating func replace(with screen: some ScreenComponent) { replacement = Screen(screen) }

    /// Pushes `screen` and returns what it asks for when it first shows (its first page).
    public mutating func open<S: ScreenComponent & Opening>(_ screen: S) -> [Effect] {
        var screen = screen
        let effects = screen.opened(self)
        push(screen)
        return effects
    }
}

/// A screen that loads something the moment it is shown (its first page, its record).
public protocol Opening {
    mutating func opened(_ context: ScreenContext) -> [Effect]
}

/// One entry of the navigation stack: any screen, compared by value.
public struct Screen: Equatable, Sendable {
    public private(set) var component: any ScreenComponent

    public init(_ component: some ScreenComponent) { self.component = component }

    public static func == (a: Screen, b: Screen) -> Bool { a.component.isEqual(to: b.component) }

    /// The screen as its own type, when it is one (`state.screen.as(UserScreen.self)`).
    public func `as`<S: ScreenComponent>(_ type: S.Type) -> S? { component as? S }

    public var title: String { component.title }
    public var bindings: [KeyBinding] { component.bindings }
    var isBusy: Bool { component.isBusy }
    var awaitsPage: Bool { component.awaitsPage }
    var filter: String?? { component.filter }
    var confirmsInterrupt: Bool { component.confirmsInterrupt }
    func viewport(_ context: ScreenContext) -> Int { component.viewport(context) }
    func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) { component.render(context, area: area, into: &buffer) }
    func footer(_ context: ScreenContext) -> (text: String, style: Style)? { component.footer(context) }

    /// Runs `body` on the component as its concrete type and stores the result back.
    mutating func mutate<R>(_ body: (inout any ScreenComponent) -> R) -> R { body(&component) }
}

extension ScreenComponent {
    func isEqual(to other: any ScreenComponent) -> Bool { (other as? Self) == self }
}
