/// One rank's part of an epoch when several processes train together, as PyTorch's
/// DistributedSampler cuts it: every rank computes the same order from (seed, epoch), pads it by
/// repeating its first indices to a multiple of the world size, and rank r takes positions r, r + W,
/// r + 2W, ... So every rank gets as many samples (and steps) as the others, and the first global
/// batch of W x B samples is the first W x B of the order, as one process with batch W x B reads it.
public struct Shard: Equatable, Sendable {
    public let rank: Int
    public let worldSize: Int

    public init(rank: Int, worldSize: Int) {
        precondition(worldSize > 0 && (0..<worldSize).contains(rank))
        self.rank = rank
        self.worldSize = worldSize
    }

    /// Samples per rank for a dataset of `total`.
    public func count(of total: Int) -> Int { (total + worldSize - 1) / worldSize }

    /// This rank's positions of `order`, padded as described.
    public func part<T>(of order: [T]) -> [T] {
        guard !order.isEmpty else { return [] }
        let padded = count(of: order.count) * worldSize
        return stride(from: rank, to: padded, by: worldSize).map { order[$0 % order.count] }
    }

    /// Without padding (validation: each sample counted once, counts reduced afterwards).
    public func unpadded<T>(of items: [T]) -> [T] {
        stride(from: rank, to: items.count, by: worldSize).map { items[$0] }
    }
}
