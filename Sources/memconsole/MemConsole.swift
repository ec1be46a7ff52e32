import ArgumentParser

@main
struct MemConsole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memconsole",
        abstract: "Browse a chat-assistant database and migrate its memories into Mem0.",
        version: MemconsoleVersion.description,
        subcommands: [ConsoleCommand.self, Mem0Command.self, InitCommand.self, InfoCommand.self, DemoDatabaseCommand.self,
                      MigrateCommand.self, VerifyCommand.self, RollbackCommand.self,
                      AuditCommand.self, RepairCommand.self, ReportCommand.self],
        // `memconsole PATH` is the short form of `memconsole console PATH`.
        defaultSubcommand: ConsoleCommand.self
    )
}
