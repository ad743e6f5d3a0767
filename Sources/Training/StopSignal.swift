import Foundation

/// SIGINT and SIGTERM ask a running training to stop at the next step boundary, after writing a
/// checkpoint; the process then exits 130 or 143 as a shell expects.
public enum StopSignal {
    nonisolated(unsafe) private static var received: Int32 = 0

    public static func install() {
        signal(SIGINT) { StopSignal.received = $0 }
        signal(SIGTERM) { StopSignal.received = $0 }
        // A parent may have started us with these signals blocked (the mask survives exec).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signal received, if any.
    public static var pending: Int32? { received == 0 ? nil : received }

    /// 128 + the signal number.
    public static func exitCode(_ signal: Int32) -> Int32 { 128 + signal }
}
