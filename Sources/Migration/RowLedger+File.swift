import Foundation

extension RowLedger {
    /// Writes the ledger of `file` to `output` in `format`, the file `memconsole report --output` writes and the
    /// console's verification screen writes: written beside the target and renamed into place, so a failed ledger
    /// never leaves half a file. Returns the totals.
    @discardableResult
    public static func write(file: URL, format: Format, to output: URL) throws -> Totals {
        let partial = output.deletingLastPathComponent()
            .appendingPathComponent(".\(output.lastPathComponent).partial-\(getpid())")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
              let sink = try? FileHandle(forWritingTo: partial) else {
            throw LedgerFileError.cannotCreate(path: output.path)
        }
        var buffer = Data()
        func emit(_ line: String) {
            buffer.append(contentsOf: Array((line + "\n").utf8))
            if buffer.count >= 1 << 16 { sink.write(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        let totals: Totals
        do {
            if let header = format.header { emit(header) }
            totals = try read(file: file) { emit(format.line(for: $0)) }
            emit(format.line(for: totals))
            sink.write(buffer)
            try sink.close()
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        _ = try? FileManager.default.removeItem(at: output)
        try FileManager.default.moveItem(at: partial, to: output)
        return totals
    }

    /// The ledger's target could not be created.
    public enum LedgerFileError: Error, Sendable, Equatable {
        case cannotCreate(path: String)
        public var operatorMessage: String {
            switch self {
            case .cannotCreate(let path): return "cannot write \(path); check the folder exists and is writable."
            }
        }
    }
}
