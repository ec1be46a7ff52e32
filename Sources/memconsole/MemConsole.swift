import ArgumentParser

@main
struct MemConsole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memconsole",
        abstract: "Browse a chat-assistant database and migrate its memories into Mem0.",
        subcommands: []
    )
}
