/// The first screen: every user of the file, with the sizes of what they own. Enter opens the user.
public struct UsersScreen: ScreenComponent, Opening {
    public var pane = ListPane<UserRow>(.users, noun: "users", rowName: "user")
    public init() {}

    public var list: PagedList<UserRow> { pane.list }
    public var title: String { "Users" }
    public var bindings: [KeyBinding] { Bindings.users }
    public func viewport(_ context: ScreenContext) -> Int { max(1, context.bodyHeight - 1) }

    public mutating func opened(_ context: ScreenContext) -> [Effect] { pane.firstLoad(viewport: viewport(context)) }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if action == .open {
            guard let user = pane.selected else { return [] }
            return context.open(UserScreen(user: user))
        }
        return pane.perform(action, viewport: viewport(context)) ?? []
    }

    public mutating func receive(_ message: Message, _ context: inout ScreenContext) -> [Effect]? {
        pane.receive(message, viewport: viewport(context))
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        pane.render(columns: Columns.users, row: Columns.userRow, tick: context.tick, area: area, into: &buffer)
    }

    public func footer(_ context: ScreenContext) -> (text: String, style: Style)? { pane.footer() }
    public var isBusy: Bool { pane.list.isLoading }
    public var awaitsPage: Bool { pane.list.isLoading }
    public var filter: String?? { .some(pane.list.filter) }
    public mutating func applyFilter(_ text: String, _ context: inout ScreenContext) -> [Effect] {
        pane.applyFilter(text, viewport: viewport(context))
    }
    public mutating func resized(_ context: ScreenContext) { pane.settle(viewport: viewport(context)) }
    public mutating func fileChanged(_ context: inout ScreenContext) -> [Effect] { pane.reload(viewport: viewport(context)) }
}
