import CNcurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts the terminal back (`endwin`) however the process ends: normal exit, a termination signal or a crash.
///
/// A console that dies leaving the terminal in raw mode with the alternate screen up is the worst failure an operator
/// can meet, so every path out calls `endwin` first. The handlers are C functions without captures; they restore the
/// terminal, put the default action back and re-raise, so the exit status and core dumps stay what they would be.
enum TerminalRestorer {
    /// Signals after which the process is going away: termination requests and the crash signals Swift traps raise.
    static let fatalSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    static func install() {
        for signalNumber in fatalSignals {
            installHandler(restoreAndReraise, for: signalNumber, flags: Int32(truncatingIfNeeded: SA_RESETHAND))
        }
        atexit(restoreAtExit)
    }

    /// `sigaction` with a plain C handler; `previous` receives the handler it replaces.
    static func installHandler(_ handler: @escaping @convention(c) (Int32) -> Void, for signalNumber: Int32, flags: Int32,
                               previous: UnsafeMutablePointer<sigaction>? = nil) {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = flags
        sigaction(signalNumber, &action, previous)
    }

    /// Restores the terminal if ncurses is up; harmless when it is not (or already ended).
    static func restore() {
        if !isendwin() { endwin() }
    }
}

private func restoreAndReraise(_ signalNumber: Int32) {
    if !isendwin() { endwin() }
    raise(signalNumber)  // SA_RESETHAND put the default action back; it runs when this handler returns.
}

private func restoreAtExit() {
    if !isendwin() { endwin() }
}
