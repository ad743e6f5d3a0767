import CTorchBridge

/// A failed collective or rendezvous: which one, on which rank, and libtorch's (Gloo's) reason.
public struct CollectiveError: Error, CustomStringConvertible {
    public let rank: Int
    public let worldSize: Int
    public let collective: String
    public let reason: String
    public var description: String {
        "rank \(rank) of \(worldSize): \(collective) failed (\(reason)); another rank has probably ended, "
            + "see its output"
    }
}

/// One c10d process group (libtorch's distributed engine): rank 0 serves the TCPStore rendezvous,
/// Gloo carries CPU tensors, NCCL CUDA ones where this libtorch has it. Collectives block until every
/// rank has joined them (or the timeout passes) and must be issued in the same order on every rank.
public final class ProcessGroup {
    let handle: tb.ProcessGroupHandle
    public let rank: Int
    public let size: Int

    public static var hasNCCL: Bool { tb.distributedHasNccl() }
    public static var hasGloo: Bool { tb.distributedHasGloo() }

    /// Joins the group; throws a CollectiveError when the others do not come within `timeout` seconds.
    /// With a `storePrefix`, a launcher serves the TCPStore (torchrun's agent) and this rank only uses
    /// keys under the prefix; without one, rank 0 serves it.
    public init(backend: String, masterAddress: String, masterPort: Int, rank: Int, size: Int,
                timeout: Double, storePrefix: String = "") throws {
        let result = tb.createProcessGroup(std.string(backend), std.string(masterAddress), Int32(masterPort),
                                           Int32(rank), Int32(size), timeout, std.string(storePrefix))
        if result.failed {
            let what = "joining the \(backend) group at \(masterAddress):\(masterPort)"
            throw CollectiveError(rank: rank, worldSize: size, collective: what, reason: String(result.error))
        }
        handle = result.value
        self.rank = rank
        self.size = size
    }

    private func run(_ what: String, _ status: tb.Status) throws {
        if status.failed {
            throw CollectiveError(rank: rank, worldSize: size, collective: what, reason: String(status.error))
        }
    }

    /// Sums every tensor over all ranks, in place.
    public func allReduceSum(_ tensors: [Tensor], _ what: String = "allreduce") throws {
        try run(what, tb.allReduceSumInPlace(handle, tensorVector(tensors)))
    }

    /// Gives every rank rank 0's values, in place.
    public func broadcastFromRankZero(_ tensors: [Tensor], _ what: String = "broadcast") throws {
        try run(what, tb.broadcastFromRankZero(handle, tensorVector(tensors)))
    }

    public func barrier() throws { try run("barrier", tb.processGroupBarrier(handle)) }

    /// The sum of `t` over all ranks, differentiable: its backward sums the gradients over all ranks,
    /// so every rank must call backward through it as well. The group must outlive the graph.
    public func differentiableSum(_ t: Tensor) throws -> Tensor {
        let result = tb.allReduceSumDifferentiable(handle, t.handle)
        if result.failed {
            throw CollectiveError(rank: rank, worldSize: size, collective: "allreduce (sync-BN)",
                                  reason: String(result.error))
        }
        return Tensor(handle: result.value)
    }
}

/// Averages the gradients of `parameters` over a group, in buckets whose all-reduce starts during
/// backward; `finish()` after backward waits for them and writes the averages into the gradients.
public final class GradientAverager {
    private let handle: tb.GradientReducerHandle
    public let group: ProcessGroup
    public var bucketCount: Int { Int(handle.bucketCount()) }
    /// Buckets whose all-reduce started during the last backward, before `finish()`.
    public var overlappedBuckets: Int { Int(handle.overlappedBuckets()) }

    /// 25 MiB buckets, DistributedDataParallel's default.
    public init(_ parameters: [Tensor], group: ProcessGroup, bucketBytes: Int = 25 << 20) throws {
        let result = tb.createGradientReducer(group.handle, tensorVector(parameters), Int64(bucketBytes))
        if result.failed { throw TorchError(String(result.error)) }
        handle = result.value
        self.group = group
    }

    public func finish() throws {
        let status = tb.finishGradientReduction(handle)
        if status.failed {
            throw CollectiveError(rank: group.rank, worldSize: group.size,
                                  collective: "allreduce of gradients", reason: String(status.error))
        }
    }
}
