import Foundation

/// SIGINT and SIGTERM ask a running training to stop at the next step boundary, after writing a
/// checkpoint; the process then exits 130 or 143 as a shell expects.
///
/// A step can take longer than a user waits (a large model on a CPU, or hundreds of threads on two
/// cores: seconds per step). A watcher thread therefore answers the first signal at once, on stderr,
/// and a second one ends the process at once with the same exit code: the checkpoint written last
/// (every checkpoint is written whole) is then where `--resume` continues.
public enum StopSignal {
    nonisolated(unsafe) private static var received: Int32 = 0
    /// Posted by the handler (sem_post is async-signal-safe), awaited by the watcher thread.
    nonisolated(unsafe) private static var wakeUp: UnsafeMutablePointer<sem_t>?

    public static func install() {
        if wakeUp == nil {
            let semaphore = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
            sem_init(semaphore, 0, 0)
            wakeUp = semaphore
            Thread.detachNewThread { watch() }
        }
        signal(SIGINT) { StopSignal.note($0) }
        signal(SIGTERM) { StopSignal.note($0) }
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

    private static func note(_ signal: Int32) {
        received = signal
        if let wakeUp { sem_post(wakeUp) }
    }

    private static func watch() {
        guard let semaphore = wakeUp else { return }
        func say(_ line: String) { _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) } }
        while sem_wait(semaphore) != 0 {}
        say("\ntrain: signal \(received) received: stopping after this step with a checkpoint "
            + "(signal again to stop at once)\n")
        while sem_wait(semaphore) != 0 {}
        say("error: stopped by a second signal \(received) in the middle of a step; the last checkpoint "
            + "written stays, continue with --resume\n")
        _exit(exitCode(received))
    }
}
