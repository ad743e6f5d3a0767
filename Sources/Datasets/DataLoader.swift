import Foundation
import Torch

/// One batch: B images (times V views for ten-crop) in dataset order of this epoch.
public struct Batch {
    /// [B * V, 3, S, S] float32, normalized; views of one image are consecutive.
    public let images: Tensor
    /// Per image.
    public let labels: [Int]
    /// Positions in the dataset, per image.
    public let indices: [Int]
    /// Per view: the geometry applied and the ground-truth boxes after it (output pixels).
    public let geometries: [Geometry]
    public let boxes: [[Box]]
    /// Per view, when the loader loads masks: the union of the instance masks after the geometry
    /// (S * S bytes, 0 = background); nil for an image without masks.
    public let masks: [[UInt8]?]?
    public var count: Int { labels.count }

    public init(images: Tensor, labels: [Int], indices: [Int], geometries: [Geometry], boxes: [[Box]],
                masks: [[UInt8]?]?) {
        self.images = images; self.labels = labels; self.indices = indices
        self.geometries = geometries; self.boxes = boxes; self.masks = masks
    }
}

/// Batches of a dataset, decoded on worker threads into a bounded number of batches ahead of the
/// consumer. Batches come out in the same order with the same contents for the same seed and epoch,
/// whatever the thread timing: each sample's randomness derives from (seed, epoch, sample index).
public final class DataLoader {
    public struct Options: Sendable {
        public var batchSize = 32
        public var shuffle = false
        public var dropLast = false
        public var seed: UInt64 = 0
        /// Decoding threads; 0 decodes on the consumer's thread.
        public var workers = 2
        /// Batches decoded ahead of the consumer (at least 1).
        public var prefetchBatches = 2
        /// Lets JPEG decoding run at 1/2, 1/4 or 1/8 resolution when the result still covers the
        /// resize target; only for the train transform (evaluation always decodes fully).
        public var reducedDecoding = true
        public var loadMasks = false
        /// Training on several processes: this rank's part of every epoch (DistributedSampler's rule).
        public var shard: Shard?
        public init() {}
    }

    public let dataset: Dataset
    public let transform: ImageTransform
    public let options: Options

    public init(dataset: Dataset, transform: ImageTransform, options: Options) {
        precondition(options.batchSize > 0 && options.workers >= 0)
        self.dataset = dataset
        self.transform = transform
        self.options = options
    }

    public var batchesPerEpoch: Int {
        let n = options.shard?.count(of: dataset.count) ?? dataset.count, b = options.batchSize
        return options.dropLast ? n / b : (n + b - 1) / b
    }

    /// The order of dataset indices in an epoch (shuffled with (seed, epoch) when shuffling).
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<dataset.count)
        if options.shuffle {
            var random = SeededRandom(seed: options.seed, epoch, -1)
            random.shuffle(&order)
        }
        return options.shard?.part(of: order) ?? order
    }

    /// The batches of one epoch; iterate with `while let batch = try iterator.next()`. `fromBatch` skips
    /// the epoch's first batches without decoding them (a run resumed mid-epoch).
    public func epoch(_ epoch: Int, fromBatch first: Int = 0) -> EpochIterator {
        EpochIterator(loader: self, epoch: epoch, order: order(epoch: epoch),
                      firstBatch: min(max(0, first), batchesPerEpoch))
    }

    /// The JPEG reduction (1, 2, 4, 8) used for an image of this size: the largest whose output still
    /// covers the resize target, and 1 unless this is the train transform with reducedDecoding on.
    public func decodeReduction(for size: ImageSize) -> Int {
        guard options.reducedDecoding, transform.mode == .train else { return 1 }
        let target = transform.resizeSide
        return [8, 4, 2].first { size.width / $0 >= target && size.height / $0 >= target } ?? 1
    }
}

/// Shared between the consumer and the workers; every field is guarded by `condition`.
private final class EpochState {
    final class Slot {
        let images: UnsafeMutablePointer<Float>
        var masks: UnsafeMutablePointer<UInt8>?
        var remaining: Int
        var labels: [Int], indices: [Int]
        var geometries: [[Geometry]], boxes: [[[Box]]], hasMask: [Bool]
        var error: Error?

        init(count: Int, floats: Int, maskBytes: Int?) {
            images = .allocate(capacity: floats)
            masks = maskBytes.map { UnsafeMutablePointer<UInt8>.allocate(capacity: $0) }
            remaining = count
            labels = Array(repeating: 0, count: count); indices = labels
            geometries = Array(repeating: [], count: count); boxes = Array(repeating: [], count: count)
            hasMask = Array(repeating: false, count: count)
        }

        deinit {
            images.deallocate()
            masks?.deallocate()
        }
    }

    let condition = NSCondition()
    let positions: Int, batchSize: Int, window: Int
    var nextPosition = 0
    var consumed = 0
    var cancelled = false
    var slots: [Int: Slot] = [:]

    init(positions: Int, batchSize: Int, window: Int) {
        self.positions = positions
        self.batchSize = batchSize
        self.window = max(1, window)
    }

    /// The next position to decode, waiting while the prefetch window is full; nil when done or
    /// cancelled. Holds no reference to the iterator, so an abandoned iterator can go away.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && nextPosition < positions && nextPosition / batchSize >= consumed + window {
            condition.wait()
        }
        guard !cancelled, nextPosition < positions else { return nil }
        nextPosition += 1
        return nextPosition - 1
    }
}

public final class EpochIterator {
    private let loader: DataLoader
    private let epoch: Int
    private let order: [Int]
    private let batchCount: Int
    private let state: EpochState
    private var workersStarted = false

    fileprivate init(loader: DataLoader, epoch: Int, order: [Int], firstBatch: Int) {
        self.loader = loader
        self.epoch = epoch
        self.order = order
        batchCount = loader.batchesPerEpoch
        state = EpochState(positions: min(order.count, batchCount * loader.options.batchSize),
                           batchSize: loader.options.batchSize, window: loader.options.prefetchBatches)
        state.consumed = firstBatch
        state.nextPosition = firstBatch * loader.options.batchSize
    }

    deinit {
        state.condition.lock()
        state.cancelled = true
        state.condition.broadcast()
        state.condition.unlock()
    }

    private func batchSize(_ batch: Int) -> Int {
        min(loader.options.batchSize, state.positions - batch * loader.options.batchSize)
    }

    /// The next batch in order, nil after the last; throws the first failure of that batch's images.
    public func next() throws -> Batch? {
        if !workersStarted { startWorkers() }
        let s = state
        s.condition.lock()
        guard s.consumed < batchCount else { s.condition.unlock(); return nil }
        let index = s.consumed
        if loader.options.workers == 0 {
            s.condition.unlock()
            for position in index * loader.options.batchSize..<(index * loader.options.batchSize
                                                                + batchSize(index)) {
                process(position)
            }
            s.condition.lock()
        }
        while s.slots[index]?.remaining != 0 { s.condition.wait() }
        let slot = s.slots.removeValue(forKey: index)!
        s.consumed += 1
        s.condition.broadcast()
        s.condition.unlock()
        if let error = slot.error { throw error }
        return try assemble(slot)
    }

    private func startWorkers() {
        workersStarted = true
        for _ in 0..<loader.options.workers {
            // The iterator is held only while a sample is processed, never while waiting.
            let thread = Thread { [state, weak self] in
                while let position = state.claim() {
                    guard let iterator = self else { return }
                    iterator.process(position)
                }
            }
            thread.name = "wsol-loader"
            thread.start()
        }
    }

    /// Decodes and transforms the sample at `position` of the epoch into its batch slot.
    private func process(_ position: Int) {
        let options = loader.options, transform = loader.transform
        let batch = position / options.batchSize, row = position % options.batchSize
        let views = transform.viewsPerImage, side = transform.outputSize
        state.condition.lock()
        let slot = state.slots[batch] ?? {
            let count = batchSize(batch)
            let created = EpochState.Slot(count: count, floats: count * views * transform.floatsPerView,
                                          maskBytes: options.loadMasks ? count * views * side * side : nil)
            state.slots[batch] = created
            return created
        }()
        state.condition.unlock()

        let datasetIndex = order[position]
        let sample = loader.dataset.samples[datasetIndex]
        var geometries: [Geometry] = []
        var hasMask = false
        var failure: Error?
        do {
            let size = sample.size ?? ImageHeader.size(sample.imagePath)
            let image = try ImageIO.decode(sample.imagePath,
                                           reduce: size.map { loader.decodeReduction(for: $0) } ?? 1)
            let source = size ?? ImageSize(width: image.shape[1], height: image.shape[0])
            var random = SeededRandom(seed: options.seed, epoch, datasetIndex)
            geometries = transform.geometries(for: source, random: &random)
            try transform.render(image, geometries, into: slot.images + row * views * transform.floatsPerView)
            if let masks = slot.masks {
                hasMask = try renderMaskUnion(sample, geometries, into: masks + row * views * side * side)
            }
        } catch {
            failure = DatasetError("\(sample.imagePath): \(errorText(error, about: sample.imagePath))")
        }
        state.condition.lock()
        slot.labels[row] = sample.label
        slot.indices[row] = datasetIndex
        slot.geometries[row] = geometries
        slot.boxes[row] = geometries.map { g in sample.boxes.map { g.apply($0) } }
        slot.hasMask[row] = hasMask
        if let failure, slot.error == nil { slot.error = failure }
        slot.remaining -= 1
        if slot.remaining == 0 { state.condition.broadcast() }
        state.condition.unlock()
    }

    /// The union (maximum) of the sample's instance masks after the geometry; false when it has none.
    /// Masks are read as grayscale, as the evaluator reads them.
    private func renderMaskUnion(_ sample: Sample, _ geometries: [Geometry],
                                 into out: UnsafeMutablePointer<UInt8>) throws -> Bool {
        guard let first = sample.maskPaths.first else { return false }
        let transform = loader.transform
        try transform.renderMask(try ImageIO.decode(first, grayscale: true), geometries, into: out)
        guard sample.maskPaths.count > 1 else { return true }
        let count = geometries.count * transform.outputSize * transform.outputSize
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        defer { scratch.deallocate() }
        for path in sample.maskPaths.dropFirst() {
            try transform.renderMask(try ImageIO.decode(path, grayscale: true), geometries, into: scratch)
            for i in 0..<count { out[i] = max(out[i], scratch[i]) }
        }
        return true
    }

    private func assemble(_ slot: EpochState.Slot) throws -> Batch {
        let transform = loader.transform
        let views = transform.viewsPerImage, count = slot.labels.count, side = transform.outputSize
        let images = try Tensor(copying: UnsafeBufferPointer(start: slot.images,
                                                             count: count * views * transform.floatsPerView),
                                shape: [count * views, 3, side, side])
        var masks: [[UInt8]?]?
        if let pointer = slot.masks {
            masks = (0..<count * views).map { view in
                slot.hasMask[view / views]
                    ? Array(UnsafeBufferPointer(start: pointer + view * side * side, count: side * side))
                    : nil
            }
        }
        return Batch(images: images, labels: slot.labels, indices: slot.indices,
                     geometries: slot.geometries.flatMap { $0 }, boxes: slot.boxes.flatMap { $0 },
                     masks: masks)
    }
}
