/// The first screen: every user of the file, with the sizes of what they own. Enter opens the user.
public struct UsersScreen: ListScreen {
    public var pane = ListPane<UserRow>(.users, noun: "users", rowName: "user")
    public init() {}

    public var title: String { "Users" }
    public var bindings: [KeyBinding] { Bindings.users }

    public mutating func perform(_ action: Action, _ context: inout ScreenContext) -> [Effect] {
        if action == .open {
            guard let user = pane.selected else { return [] }
            return context.open(UserScreen(user: user))
        }
        return pane.perform(action, viewport: viewport(context)) ?? []
    }

    public func render(_ context: ScreenContext, area: Rect, into buffer: inout Buffer) {
        pane.render(columns: Columns.users, row: Columns.userRow, tick: context.tick, area: area, into: &buffer)
    }
}
