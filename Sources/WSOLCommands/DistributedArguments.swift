import ArgumentParser
import Foundation
import Torch
import Training

/// `wsol train`'s options for several processes (docs/DISTRIBUTED.md).
struct DistributedArguments: ParsableArguments {
    @Option(help: "Start N local workers (1 to 64); --batch-size and --threads are per process.")
    var nprocPerNode = 1
    @Option(help: "gloo or nccl (default: gloo on cpu, nccl on cuda).") var distBackend: String?
    @Flag(help: "Average BatchNorm statistics over all processes (SyncBatchNorm).") var syncBn = false
    @Option(help: "Seconds a collective or the rendezvous may wait for the others (default 60).")
    var distTimeout: Double = 60
    @Option(help: "Rendezvous port of --nproc-per-node (default: a free port).") var masterPort: Int?

    func validate() throws {
        guard (1...64).contains(nprocPerNode) else {
            throw ValidationError("--nproc-per-node must be 1 to 64")
        }
        guard distTimeout >= 1 && distTimeout <= 86_400 else {
            throw ValidationError("--dist-timeout must be 1 to 86400")
        }
        if let masterPort, !(1...65535).contains(masterPort) {
            throw ValidationError("--master-port must be 1 to 65535")
        }
        if let distBackend, !["gloo", "nccl"].contains(distBackend) {
            throw ValidationError("--dist-backend must be gloo or nccl")
        }
    }

    /// True when this process should start the workers instead of training.
    var launches: Bool {
        nprocPerNode > 1 && ProcessInfo.processInfo.environment[WorkerLauncher.marker] == nil
    }

    /// Starts the workers (`launches`); `threads` is --threads, else each worker gets its share of the cores.
    func launch(threads: Int?) throws {
        if ProcessInfo.processInfo.environment["WORLD_SIZE"] != nil {
            throw CommandFailure("--nproc-per-node starts its own workers: leave it out under torchrun "
                + "(WORLD_SIZE is set)", exitCode: 2)
        }
        let share = max(1, ProcessInfo.processInfo.activeProcessorCount / nprocPerNode)
        try WorkerLauncher.run(workers: nprocPerNode, port: masterPort, threadsPerWorker: threads ?? share)
    }

    /// Joins the group the environment describes; nil for a single process (no WORLD_SIZE, or 1).
    func join(device: String) throws -> DistributedTraining? {
        guard let world = try DistributedWorld.fromEnvironment(), world.size > 1 else {
            if syncBn { print("train: --sync-bn has no effect in a single process") }
            return nil
        }
        let backend = distBackend ?? (device == "cpu" ? "gloo" : "nccl")
        if backend == "nccl" && !ProcessGroup.hasNCCL {
            throw CommandFailure("--dist-backend nccl: this libtorch was built without NCCL; "
                + "use gloo, or build "
                + "with LIBTORCH=<a CUDA libtorch with NCCL>", exitCode: 2)
        }
        if backend == "gloo" && !ProcessGroup.hasGloo {
            throw CommandFailure("--dist-backend gloo: wsol was built without Gloo's headers; install "
                + "libgloo-dev (make setup) and rebuild", exitCode: 2)
        }
        do {
            return try DistributedTraining(world: world, backend: backend, syncBatchNorm: syncBn,
                                           timeout: distTimeout)
        } catch let error as CollectiveError {
            throw CommandFailure(error.description)
        }
    }
}
