import Datasets
import Foundation
import Testing
import TestSupport
import Torch

@Suite("Data loader", .serialized)
struct LoaderTests {
    init() { configureTestRuntime }

    private func dataset() throws -> Dataset {
        try CUBReader.read(root: try Fixtures.synthCUB(classes: 5, train: 5, test: 0, size: 96, seed: 11)).requireSplit("train")
    }

    private func batches(_ data: Dataset, seed: UInt64, workers: Int, epoch: Int = 0, batchSize: Int = 8,
                         dropLast: Bool = false, prefetch: Int = 2) throws -> [(indices: [Int], labels: [Int], pixels: [Float], boxes: [[Box]])] {
        var options = DataLoader.Options()
        options.batchSize = batchSize
        options.shuffle = true
        options.seed = seed
        options.workers = workers
        options.dropLast = dropLast
        options.prefetchBatches = prefetch
        let iterator = DataLoader(dataset: data, transform: ImageTransform(.train, imageSize: 64), options: options).epoch(epoch)
        var out: [([Int], [Int], [Float], [[Box]])] = []
        while let batch = try iterator.next() {
            #expect(batch.images.shape == [batch.count, 3, 64, 64])
            out.append((batch.indices, batch.labels, try batch.images.floats(), batch.boxes))
        }
        return out
    }

    @Test func sameSeedSameBatchesWhateverTheThreadCount() throws {
        let data = try dataset()
        let reference = try batches(data, seed: 1, workers: 0)
        #expect(reference.map(\.indices.count) == [8, 8, 8, 1])
        #expect(reference.flatMap(\.indices).sorted() == Array(0..<25))
        for (workers, prefetch) in [(1, 1), (2, 2), (3, 1), (4, 3)] {
            let again = try batches(data, seed: 1, workers: workers, prefetch: prefetch)
            #expect(again.map(\.indices) == reference.map(\.indices))
            #expect(again.map(\.labels) == reference.map(\.labels))
            #expect(again.map(\.boxes) == reference.map(\.boxes))
            #expect(again.map(\.pixels) == reference.map(\.pixels), "workers \(workers)")
        }
        for (batch, b) in reference.enumerated() {
            #expect(b.labels == b.indices.map { data.samples[$0].label }, "batch \(batch)")
        }
    }

    @Test func differentSeedOrEpochGivesADifferentOrder() throws {
        let data = try dataset()
        let a = try batches(data, seed: 1, workers: 2).flatMap(\.indices)
        let b = try batches(data, seed: 2, workers: 2).flatMap(\.indices)
        let c = try batches(data, seed: 1, workers: 2, epoch: 1).flatMap(\.indices)
        #expect(a != b && a != c)
        #expect(b.sorted() == a.sorted() && c.sorted() == a.sorted())
    }

    @Test func dropLastAndUnshuffledOrder() throws {
        let data = try dataset()
        #expect(try batches(data, seed: 0, workers: 2, batchSize: 10, dropLast: true).map(\.indices.count) == [10, 10])
        var options = DataLoader.Options()
        options.batchSize = 10
        let loader = DataLoader(dataset: data, transform: ImageTransform(.centerCrop, imageSize: 32), options: options)
        #expect(loader.batchesPerEpoch == 3)
        let iterator = loader.epoch(0)
        var seen: [Int] = []
        while let batch = try iterator.next() { seen += batch.indices }
        #expect(seen == Array(0..<25))
    }

    @Test func tenCropBatchesCarryTenViewsAndMasks() throws {
        let data = try dataset()
        var options = DataLoader.Options()
        options.batchSize = 3
        options.loadMasks = true
        let iterator = DataLoader(dataset: data, transform: ImageTransform(.tenCrop, imageSize: 32), options: options).epoch(0)
        let batch = try #require(try iterator.next())
        #expect(batch.images.shape == [30, 3, 32, 32])
        #expect(batch.boxes.count == 30 && batch.geometries.count == 30)
        let masks = try #require(batch.masks)
        #expect(masks.count == 30 && masks.allSatisfy { $0?.count == 32 * 32 })
        // View 5 is view 0's mirror image of the opposite corner: the top-right crop, flipped.
        #expect(batch.geometries[5].crop == CropRect(x: 5, y: 0, width: 32, height: 32, flip: true))
        #expect(masks[0]!.contains(255))
    }

    @Test func aMissingImageFailsItsBatchNamingTheFile() throws {
        var data = try dataset()
        data.samples[3].imagePath += ".gone"
        var options = DataLoader.Options()
        options.batchSize = 4
        options.workers = 2
        let iterator = DataLoader(dataset: data, transform: ImageTransform(.train, imageSize: 32), options: options).epoch(0)
        #expect { _ = try iterator.next() } throws: { "\($0)".contains(data.samples[3].imagePath) }
        #expect(try iterator.next()?.indices == [4, 5, 6, 7])
    }

    /// Workers never keep an abandoned epoch alive: once the consumer drops it, it goes away (its
    /// deinit then stops the workers waiting for room in the prefetch window).
    @Test func anAbandonedEpochIsReleased() throws {
        var options = DataLoader.Options()
        options.batchSize = 2
        options.workers = 2
        options.prefetchBatches = 1
        let loader = DataLoader(dataset: try dataset(), transform: ImageTransform(.train, imageSize: 32), options: options)
        weak var released: EpochIterator?
        do {
            let iterator = loader.epoch(0)
            released = iterator
            _ = try iterator.next()
        }
        // A worker may still be finishing one sample; it lets go right after.
        for _ in 0..<200 where released != nil { Thread.sleep(forTimeInterval: 0.01) }
        #expect(released == nil)
    }

    @Test func reducedDecodingOnlyForTrainingWhenItStillCoversTheTarget() throws {
        var options = DataLoader.Options()
        let empty = Dataset(split: "train", classNames: [], samples: [])
        let train = DataLoader(dataset: empty, transform: ImageTransform(.train), options: options)
        #expect(train.decodeReduction(for: ImageSize(width: 500, height: 375)) == 1)
        #expect(train.decodeReduction(for: ImageSize(width: 1200, height: 600)) == 2)
        #expect(train.decodeReduction(for: ImageSize(width: 4000, height: 3000)) == 8)
        #expect(DataLoader(dataset: empty, transform: ImageTransform(.centerCrop), options: options)
            .decodeReduction(for: ImageSize(width: 4000, height: 3000)) == 1)
        options.reducedDecoding = false
        #expect(DataLoader(dataset: empty, transform: ImageTransform(.train), options: options)
            .decodeReduction(for: ImageSize(width: 4000, height: 3000)) == 1)
    }
}
