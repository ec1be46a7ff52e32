import Foundation
import Migration

/// Prints migration events for `migrate`: a progress bar rewritten in place on a terminal, one line per step
/// otherwise, or NDJSON (`--json`). It only formats; the counts come from `MigrationReport`, the same fold the wizard
/// uses.
final class MigrationProgressPrinter {
    enum Mode { case terminal, lines, json }
    let mode: Mode
    private var barShown = false
    private var lastPrinted = Date.distantPast
    private var lastPrintedDone = -1

    init(json: Bool) {
        mode = json ? .json : (isatty(STDOUT_FILENO) == 1 ? .terminal : .lines)
    }

    func handle(_ event: MigrationEvent, report: MigrationReport) {
        switch mode {
        case .json: emit(MigrationJSON.object(for: event))
        case .terminal, .lines: text(event, report: report)
        }
    }

    /// The last output: the end state's line (text) or the summary object (`--json`). The error line of a run that
    /// did not succeed goes to stderr from the exit-status mapping, as for every command.
    func finish(_ report: MigrationReport) {
        if barShown { write("\n"); barShown = false }
        switch mode {
        case .json:
            emit(MigrationJSON.summary(report))
        case .terminal, .lines:
            guard let end = report.end else { return }
            var line = "end: \(end.headline)"
            if case .finalized = end {
                line += "; retries \(report.retries), 429s \(report.rateLimitHits), reconciled \(report.reconciled)"
            }
            write(line + "\n")
            if let reason = end.reason, !end.succeeded { printError(reason.operatorMessage) }
            if case .refused(.alreadyMigrated) = end, let reason = end.reason { write(reason.operatorMessage + "\n") }
            if case .finalized = end, let failure = report.failure {
                // Finalize committed; a later step failed. The file is migrated: say so, and what did not happen.
                printWarning("the file is finalized, but a later step failed: \(failure.operatorMessage)")
            }
        }
    }

    /// A line for the operator outside the event stream (a Ctrl-C acknowledgement), on stderr.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data("memconsole: \(text)\n".utf8))
    }

    private func text(_ event: MigrationEvent, report: MigrationReport) {
        var line: String?
        switch event {
        case .planned(let s):
            let estimate = s.assumedRate > 0
                ? "estimate \(duration(s.estimatedSeconds)) at \(String(format: "%.0f", s.assumedRate)) rows/s (\(s.rateSource))"
                : "no estimate (\(s.rateSource))"
            line = "plan: \(s.legacyRows) rows — \(s.migratable) to migrate, \(s.rejected) rejected, \(s.duplicates) duplicates (\(s.duplicateRule)), \(s.orphanProfiles) with a missing profile (kept, profile NULL), \(s.users) users; \(estimate)"
                + s.notChecked.map { "\nnot checked: \($0)" }.joined()
        case .rowRejected(let id, let reason): line = "rejected: row \(id): \(reason.message)"
        case .duplicate(let id, let canonical): line = "duplicate: row \(id) is stored as row \(canonical)'s memory (\(report.plan?.duplicateRule ?? "same user, profile and text"); not sent; listed in its legacy_duplicate_ids)"
        case .backupWritten(let path, let bytes): line = "backup: \(path) (\(bytes) bytes, integrity_check ok, row counts equal)"
        case .runStarted(let id, let resumed, let pending): line = "\(resumed ? "resuming" : "starting") run \(id): \(pending) rows to send"
        case .rowLinked: break
        case .retry(let id, let attempt, let reason): if mode == .lines { line = "retry: row \(id) attempt \(attempt): \(reason)" }
        case .rateLimited(let after, let rate):
            line = "rate limited: pausing \(after.map { String(format: "%.1f s", $0) } ?? "a moment")\(rate.map { String(format: ", pacing at %.1f requests/s", $0) } ?? "")"
        case .progress(let p):
            if mode == .terminal { bar(p, report: report); return }
            let now = Date()
            if p.done != lastPrintedDone, p.done == p.total || now.timeIntervalSince(lastPrinted) >= 2 {
                lastPrinted = now; lastPrintedDone = p.done
                line = progressText(p, report: report)
            }
        case .reconciled(let id, let outcome):
            switch outcome {
            case .found(let m): line = "reconciled: row \(id) was already in Mem0 as \(m); linked without resending"
            case .foundDuplicates(let kept, let deleted): line = "reconciled: row \(id) kept \(kept), deleted \(deleted.count) extra cop\(deleted.count == 1 ? "y" : "ies")"
            case .notFound: if mode == .lines { line = "reconciled: row \(id) not in Mem0; sending it" }
            }
        case .finalized(let f):
            line = "finalized: memories → \(f.keptBackupTable ? "memories_backup" : "dropped (backup file: \(f.backupPath ?? "-"))"); file now has the new schema"
        case .verified(let v):
            line = "verify (\(v.sampled ? "sample of \(v.checkedLinks)" : "all \(v.checkedLinks)") links): \(v.isPassing ? "passed" : "FAILED — \(v.mismatches.count) mismatches; run 'memconsole verify' for details")"
        case .failed, .ended: break
        }
        guard let line else { return }
        if barShown { write("\r\u{1B}[K"); barShown = false }
        write(line + "\n")
    }

    private func progressText(_ p: MigrationProgress, report: MigrationReport) -> String {
        let percent = p.total > 0 ? Int(Double(p.done) / Double(p.total) * 100) : 100
        return "progress: \(p.done)/\(p.total) (\(percent)%) \(String(format: "%.1f", p.rowsPerSecond)) rows/s ETA \(p.etaSeconds.map(duration) ?? "?") retries \(report.retries) rejected \(report.rejected) in flight \(p.inFlight)/\(p.concurrency)"
    }

    private func bar(_ p: MigrationProgress, report: MigrationReport) {
        let width = 24
        let fraction = p.total > 0 ? min(Double(p.done) / Double(p.total), 1) : 1
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        write("\r\u{1B}[K[\(bar)] \(Int(fraction * 100))% \(p.done)/\(p.total) \(String(format: "%.1f", p.rowsPerSecond)) rows/s ETA \(p.etaSeconds.map(duration) ?? "?") retries \(report.retries) rejected \(report.rejected)")
        barShown = true
    }

    private func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    private func emit(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// The NDJSON shapes of events and of the final summary (documented in docs/migration.md).
enum MigrationJSON {
    static func object(for event: MigrationEvent) -> [String: Any] {
        switch event {
        case .planned(let s):
            return ["event": "planned", "legacy_rows": s.legacyRows, "migratable": s.migratable, "rejected": s.rejected,
                    "duplicates": s.duplicates, "orphan_profiles": s.orphanProfiles, "users": s.users,
                    "assumed_rate": s.assumedRate, "rate_source": s.rateSource, "estimated_seconds": s.estimatedSeconds,
                    "rejected_by_code": s.rejectedByCode, "duplicate_rule": s.duplicateRule, "not_checked": s.notChecked]
        case .backupWritten(let path, let bytes): return ["event": "backup_written", "path": path, "bytes": bytes]
        case .runStarted(let id, let resumed, let pending): return ["event": "run_started", "run_id": id, "resumed": resumed, "pending": pending]
        case .rowLinked(let id, let mem0): return ["event": "row_linked", "legacy_id": id, "mem0_id": mem0]
        case .rowRejected(let id, let reason): return ["event": "row_rejected", "legacy_id": id, "code": reason.code, "reason": reason.message]
        case .duplicate(let id, let canonical): return ["event": "duplicate", "legacy_id": id, "duplicate_of": canonical]
        case .retry(let id, let attempt, let reason): return ["event": "retry", "legacy_id": id, "attempt": attempt, "reason": reason]
        case .rateLimited(let after, let rate):
            return ["event": "rate_limited", "retry_after": after ?? NSNull(), "pace": rate ?? NSNull()]
        case .progress(let p):
            return ["event": "progress", "done": p.done, "total": p.total, "rows_per_second": p.rowsPerSecond,
                    "eta_seconds": p.etaSeconds ?? NSNull(), "in_flight": p.inFlight, "concurrency": p.concurrency,
                    "rate_limit": p.rateLimit ?? NSNull()]
        case .reconciled(let id, let outcome):
            switch outcome {
            case .found(let m): return ["event": "reconciled", "legacy_id": id, "outcome": "found", "mem0_id": m]
            case .foundDuplicates(let kept, let deleted): return ["event": "reconciled", "legacy_id": id, "outcome": "found_duplicates", "mem0_id": kept, "deleted": deleted]
            case .notFound: return ["event": "reconciled", "legacy_id": id, "outcome": "not_found"]
            }
        case .finalized(let f):
            return ["event": "finalized", "linked": f.linked, "duplicates": f.duplicates, "rejected": f.rejected,
                    "kept_backup_table": f.keptBackupTable, "backup_path": f.backupPath ?? NSNull()]
        case .verified(let v): return ["event": "verified"].merging(verification(v)) { a, _ in a }
        case .failed(let e): return ["event": "failed", "message": e.operatorMessage]
        case .ended(let end): return ["event": "ended"].merging(endState(end)) { a, _ in a }
        }
    }

    static func verification(_ v: VerificationResult) -> [String: Any] {
        ["passing": v.isPassing, "legacy_rows": v.legacyRows, "linked": v.linked, "duplicates": v.duplicates,
         "rejected": v.rejected, "checked_links": v.checkedLinks, "sampled": v.sampled,
         "users": v.users.map { ["mem0_user_id": $0.mem0UserID, "legacy_user_id": $0.legacyUserID, "linked": $0.linked,
                                 "mem0_count": $0.mem0Count ?? NSNull(), "checked": $0.checked, "mismatched": $0.mismatched] as [String: Any] },
         "mismatches": v.mismatches.map { ["kind": $0.kind.rawValue, "legacy_id": $0.legacyID ?? NSNull(),
                                           "mem0_id": $0.mem0ID ?? NSNull(), "detail": $0.detail] as [String: Any] },
         "notes": v.notes]
    }

    /// How the run ended, the same fields in the `ended` event and the summary.
    static func endState(_ end: RunEnd) -> [String: Any] {
        var object: [String: Any] = ["end_state": end.name, "resumable": end.isResumable, "succeeded": end.succeeded,
                                     "headline": end.headline,
                                     "exit_code": Int(end.exitStatus?.rawValue ?? 0)]
        if let reason = end.reason { object["reason"] = reason.operatorMessage }
        if case .stopped(let runID, let counts, _) = end {
            object["run_id"] = runID
            object["journal"] = ["pending": counts.pending, "in_flight": counts.inFlight, "linked": counts.linked,
                                 "rejected": counts.rejected, "duplicates": counts.duplicate, "total": counts.total]
        }
        return object
    }

    static func summary(_ r: MigrationReport) -> [String: Any] {
        var object: [String: Any] = ["event": "summary", "run_id": r.runID ?? NSNull(), "linked": r.linked,
                                     "rejected": r.rejected, "duplicates": r.duplicates, "retries": r.retries,
                                     "rate_limited": r.rateLimitHits, "reconciled": r.reconciled,
                                     "extras_deleted": r.extrasDeleted, "finalized": r.finalized != nil,
                                     "dry_run": r.end == .planned || (r.end == nil && r.plan != nil && r.runID == nil)]
        if let end = r.end { object.merge(endState(end)) { _, new in new } }
        if let failure = r.failure { object["error"] = failure.operatorMessage }
        if let p = r.lastProgress { object["rows_per_second"] = p.rowsPerSecond }
        return object
    }
}
