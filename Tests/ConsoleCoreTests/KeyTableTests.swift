import Testing
@testable import ConsoleCore

/// Every screen's key table binds each key once (dispatch takes the first match, so a second binding would be dead
/// and its hint a lie).
@Suite struct KeyTableTests {
    static var tables: [(String, [KeyBinding])] {
        var tables: [(String, [KeyBinding])] = [
            ("users", Bindings.users), ("memories", Bindings.memories), ("sessions", Bindings.sessions),
            ("agentLogs", Bindings.agentLogs), ("transcript", Bindings.transcript), ("logDetail", Bindings.logDetail),
            ("diff", Bindings.diff), ("verification", Bindings.verification), ("classList", Bindings.classList),
            ("mismatches", Bindings.mismatches), ("driftAudit", Bindings.driftAudit), ("repairReview", Bindings.repairReview),
            ("mem0Search", Bindings.mem0Search), ("mem0History", Bindings.mem0History), ("memoryRows", Bindings.memoryRows),
            ("metadataRows", Bindings.metadataRows),
        ]
        tables += UserScreen.Tab.allCases.map { ("user \($0.name)", Bindings.user($0)) }
        tables += WizardStep.allCases.map { ("wizard \($0)", Bindings.wizard($0)) }
        return tables
    }

    @Test func noTableBindsAKeyTwice() {
        for (name, table) in Self.tables {
            var seen: [Key: String] = [:]
            for binding in table {
                for key in binding.keys {
                    if let earlier = seen[key] { Issue.record("\(name): \(KeyBinding.name(key)) is bound to \(earlier) and \(binding.help)") }
                    seen[key] = binding.help
                }
            }
        }
    }
}
