import Datasets
import Foundation
import Testing
import TestSupport
import Torch

/// One rank's part of an epoch: PyTorch's DistributedSampler's split, and the sharded loader's batches
/// put together equal the batches of one process with the world's batch.
@Suite("Shard", .serialized)
struct ShardTests {
    init() { configureTestRuntime }

    @Test func splitsAsDistributedSampler() throws {
        let reference = try Reference.run("distributed_sampler.py")
        for (n, world) in [(10, 3), (8, 2), (7, 4), (2, 3), (24, 2)] {
            for rank in 0..<world {
                let expected = try Reference.load(reference, "n\(n)_w\(world)_r\(rank)").tensor().ints()
                let shard = Shard(rank: rank, worldSize: world)
                #expect(shard.part(of: Array(0..<n)) == expected, "n \(n), world \(world), rank \(rank)")
                #expect(shard.count(of: n) == expected.count)
            }
        }
    }

    @Test func unpaddedPartsCoverEachItemOnce() {
        let items = Array(0..<11)
        let parts = (0..<3).map { Shard(rank: $0, worldSize: 3).unpadded(of: items) }
        #expect(parts.flatMap { $0 }.sorted() == items)
    }

    @Test func shardedBatchesTogetherAreTheSingleProcessBatches() throws {
        let root = try Fixtures.synthCUB(classes: 4, train: 4, test: 0, size: 64, seed: 5)
        let data = try CUBReader.read(root: root).requireSplit("train")
        func epoch(batch: Int, shard: Shard?) throws -> [[Int]] {
            var options = DataLoader.Options()
            options.batchSize = batch
            options.shuffle = true
            options.seed = 7
            options.workers = 1
            options.dropLast = true
            options.shard = shard
            let loader = DataLoader(dataset: data, transform: ImageTransform(.train, imageSize: 32), options: options)
            let iterator = loader.epoch(1)
            var out: [[Int]] = []
            while let b = try iterator.next() { out.append(b.indices) }
            #expect(out.count == loader.batchesPerEpoch)
            return out
        }
        let single = try epoch(batch: 8, shard: nil)
        let ranks = try (0..<2).map { try epoch(batch: 4, shard: Shard(rank: $0, worldSize: 2)) }
        #expect(single.count == 2 && ranks[0].count == 2 && ranks[1].count == 2)
        for k in 0..<single.count {
            #expect(Set(ranks[0][k] + ranks[1][k]) == Set(single[k]))
        }
    }
}
