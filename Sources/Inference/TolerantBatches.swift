import Datasets
import Foundation
import Torch

/// A loader's batches in dataset order (no shuffling) where an image that cannot be read costs only
/// itself: when a batch fails, its images are loaded one by one, the unreadable ones are reported by
/// name (`failures`) and skipped, and the rest still form a batch.
public final class TolerantBatches {
    private let loader: DataLoader
    private let iterator: EpochIterator
    private var next = 0
    /// "path: reason" for every image that could not be read.
    public private(set) var failures: [String] = []

    public init(_ loader: DataLoader) {
        precondition(!loader.options.shuffle, "TolerantBatches needs dataset order")
        self.loader = loader
        iterator = loader.epoch(0)
    }

    /// The next batch, nil at the end. A batch whose images all failed comes out empty (count 0).
    public func nextBatch() throws -> Batch? {
        let first = next * loader.options.batchSize
        guard first < loader.dataset.count else { return nil }
        let range = first..<min(first + loader.options.batchSize, loader.dataset.count)
        next += 1
        do {
            return try iterator.next()
        } catch {
            return try isolate(range)
        }
    }

    private func isolate(_ range: Range<Int>) throws -> Batch {
        var good: [Batch] = []
        for index in range {
            let sample = loader.dataset.samples[index]
            let single = Dataset(split: loader.dataset.split, classNames: loader.dataset.classNames,
                                 samples: [sample])
            var options = loader.options
            options.workers = 0
            do {
                if var batch = try DataLoader(dataset: single, transform: loader.transform,
                                              options: options).epoch(0).next() {
                    batch = batch.reindexed([index])
                    good.append(batch)
                }
            } catch {
                failures.append("\(error)")
            }
        }
        return try Batch.concatenating(good)
    }
}

extension Batch {
    /// The same batch with its images' dataset positions replaced.
    func reindexed(_ indices: [Int]) -> Batch {
        Batch(images: images, labels: labels, indices: indices, geometries: geometries, boxes: boxes,
              masks: masks)
    }

    /// One batch from several (empty when given none).
    static func concatenating(_ batches: [Batch]) throws -> Batch {
        guard let first = batches.first else {
            return Batch(images: try Tensor.zeros([0]), labels: [], indices: [], geometries: [], boxes: [],
                         masks: nil)
        }
        guard batches.count > 1 else { return first }
        let masks: [[UInt8]?]? = first.masks == nil ? nil : batches.flatMap { $0.masks ?? [] }
        return Batch(images: try Tensor.cat(batches.map(\.images), dim: 0), labels: batches.flatMap(\.labels),
                     indices: batches.flatMap(\.indices), geometries: batches.flatMap(\.geometries),
                     boxes: batches.flatMap(\.boxes), masks: masks)
    }
}
