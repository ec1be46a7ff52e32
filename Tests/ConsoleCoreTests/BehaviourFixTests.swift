import Foundation
import Migration
import Testing
@testable import ConsoleCore

/// The behaviour fixes of the console issue, one test each.
@Suite struct BehaviourFixTests {
    static let partlyMigrated = StatusInfo(filePath: "/data/chat.db", fileState: .partlyMigrated,
                                           mem0Endpoint: "http://127.0.0.1:8765", mem0Dialect: "oss")

    @Test func aPartlyMigratedFileShowsEveryLegacyRowWithItsLinkState() {
        var d = Driver(width: 120, height: 24, status: Self.partlyMigrated)
        d.answer(.users(Fixture.users))
        d.keys(.enter)
        d.answer(.profiles(Fixture.profiles))
        d.keys(.char("3"))
        func row(_ id: Int64, _ link: MemoryLink?, mem0ID: String? = nil) -> MemoryRow {
            MemoryRow(id: id, profileID: 10, profileName: "default", memoryType: "fact", tags: [], mem0ID: mem0ID,
                      content: "memory \(id)", createdAt: nil, link: link)
        }
        d.answer(.memories([row(1, .linked, mem0ID: "6f1c2a9e-0b7d"), row(2, .inFlight), row(3, .pending),
                            row(4, .rejected("empty_content")), row(5, .duplicate(of: 1)), row(6, nil)]))
        let lines = d.screen().text.split(separator: "\n").map(String.init)
        func line(_ id: Int) -> String { lines.first { $0.contains("memory \(id) ") } ?? "" }
        #expect(line(1).contains("6f1c2a9e-0b7d"))
        #expect(line(2).contains("… in flight"))
        #expect(line(3).contains("· pending"))
        #expect(line(4).contains("✗ rejected"))
        #expect(line(5).contains("= dup of #1"))
        #expect(line(6).contains("✗ not linked"))
    }
}
