import Foundation
import RunStore

/// `wsol train --nproc-per-node N`: runs N copies of this command line as one local group, with the
/// variables torchrun would set (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR 127.0.0.1, MASTER_PORT).
/// SIGINT and SIGTERM are passed on to every worker; when one ends badly the others are stopped
/// (SIGTERM, then SIGKILL after a grace period) and the launcher exits with one line naming it.
public enum WorkerLauncher {
    /// Set in the workers, so that they train instead of launching again.
    public static let marker = "WSOL_LAUNCHED_WORKER"
    static let grace: TimeInterval = 10

    struct Ending {
        let rank: Int
        let pid: Int32
        let status: Int32
        let signaled: Bool
        var description: String {
            signaled ? "rank \(rank) (pid \(pid)) was killed by signal \(status) (\(signalName(status)))"
                : "rank \(rank) (pid \(pid)) exited with code \(status)"
        }
    }

    /// Starts the workers and waits for them; returns when all succeeded, throws a TrainingError else.
    public static func run(workers count: Int, port: Int?, threadsPerWorker: Int) throws {
        let port = try port ?? freePort()
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let events = Events()
        var processes: [Process] = []
        // Signals reach the launcher; the workers each get them once, from here (a worker resets the
        // inherited SIG_IGN when it installs its own handlers).
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        for rank in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = Array(CommandLine.arguments.dropFirst())
            var env = ProcessInfo.processInfo.environment
            env["RANK"] = String(rank)
            env["LOCAL_RANK"] = String(rank)
            env["WORLD_SIZE"] = String(count)
            env["LOCAL_WORLD_SIZE"] = String(count)
            env["MASTER_ADDR"] = "127.0.0.1"
            env["MASTER_PORT"] = String(port)
            env["WSOL_THREADS"] = String(threadsPerWorker)
            env[marker] = "1"
            process.environment = env
            process.terminationHandler = { p in
                events.ended(Ending(rank: rank, pid: p.processIdentifier, status: p.terminationStatus,
                                    signaled: p.terminationReason == .uncaughtSignal))
            }
            do { try process.run() } catch {
                for p in processes where p.isRunning { kill(p.processIdentifier, SIGKILL) }
                throw TrainingError("cannot start worker \(rank) (\(executable)): "
                    + error.localizedDescription)
            }
            processes.append(process)
        }
        let started = processes
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                events.stopRequested(number)
                for p in started where p.isRunning { kill(p.processIdentifier, number) }
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        let failure = events.waitForEnd(count: count) {
            for p in started where p.isRunning { kill(p.processIdentifier, SIGTERM) }
        } escalate: {
            for p in started where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
        started.forEach { $0.waitUntilExit() }
        if let stop = events.stopSignal {
            throw TrainingError("stopped by signal \(stop): the workers wrote a checkpoint; continue with "
                + "--resume", exitCode: 128 + stop)
        }
        if let failure {
            // A worker's own exit 2 (bad usage or input) stays 2; anything else is a failure.
            let code: Int32 = !failure.signaled && failure.status == 2 ? 2 : 1
            throw TrainingError("\(failure.description); stopped the other workers", exitCode: code)
        }
    }

    /// A TCP port free on the loopback interface now (the kernel's pick).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            throw TrainingError("cannot open a socket to find a free port; pass --master-port")
        }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw TrainingError("cannot find a free port on 127.0.0.1; pass --master-port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func signalName(_ number: Int32) -> String {
        [SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT",
         SIGBUS: "SIGBUS", SIGILL: "SIGILL", SIGFPE: "SIGFPE"][number] ?? "signal \(number)"
    }

    /// What the termination handlers report, read by the waiting thread.
    final class Events: @unchecked Sendable {
        private let condition = NSCondition()
        private var endings: [Ending] = []
        private(set) var stopSignal: Int32?

        func ended(_ ending: Ending) {
            condition.lock()
            endings.append(ending)
            condition.broadcast()
            condition.unlock()
        }

        func stopRequested(_ number: Int32) {
            condition.lock()
            stopSignal = number
            condition.unlock()
        }

        /// Waits for every worker. At the first bad ending it calls `terminate`, and `escalate` if some
        /// are still running after the grace period; returns that first bad ending (a worker killed by a
        /// signal wins over those that then failed on its absence).
        func waitForEnd(count: Int, terminate: () -> Void, escalate: () -> Void) -> Ending? {
            condition.lock()
            defer { condition.unlock() }
            var terminated = false
            var deadline: Date?
            while endings.count < count {
                let failed = endings.contains { $0.signaled || $0.status != 0 }
                if !terminated, stopSignal == nil, failed {
                    // The others fail within moments when one dies: let their reports arrive first.
                    _ = condition.wait(until: Date().addingTimeInterval(0.5))
                    condition.unlock()
                    terminate()
                    condition.lock()
                    terminated = true
                    deadline = Date().addingTimeInterval(WorkerLauncher.grace)
                    continue
                }
                guard let until = deadline else { condition.wait(); continue }
                // (NSCondition.wait(until: .distantFuture) traps on Linux: a nil deadline waits plainly.)
                if !condition.wait(until: until) {
                    condition.unlock()
                    escalate()
                    condition.lock()
                    deadline = nil
                }
            }
            let bad = endings.filter { $0.signaled || $0.status != 0 }
            return bad.first { $0.signaled } ?? bad.first
        }
    }
}
