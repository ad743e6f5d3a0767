import Datasets
import Evaluation
import Foundation
import Torch
import WSOL

/// Evaluates a WSOL model on a dataset split with both protocols of METHOD.md section 4, through the
/// same evaluator `wsol score-maps` uses: the loader decodes on its threads while the model runs
/// batches; ground-truth boxes go to the evaluator in original pixels (its own integer mapping).
/// Training-time validation calls the same code.
public struct ModelEvaluator {
    public let model: WSOLModel
    public let settings: EvaluationSettings

    public init(model: WSOLModel, settings: EvaluationSettings) {
        self.model = model
        self.settings = settings
    }

    public struct Outcome {
        public var crop: CropProtocol?
        public var full: FullProtocolBoxes?
        public var pxap: PxAP?
        /// Images evaluated by the last protocol that ran.
        public var images = 0
        public var unreadable: [String] = []
    }

    /// `progress` is told of every image of every pass.
    public func evaluate(_ dataset: Dataset, progress: ProgressReporter? = nil) throws -> Outcome {
        model.eval()
        var outcome = Outcome()
        var unreadable = Set<String>()
        if settings.runsCrop {
            var crop = CropProtocol(threshold: settings.threshold, resize: cropTransform.resizeSide,
                                    crop: model.spec.imageSize, perClass: settings.perClass)
            outcome.images = try forEachBatch(dataset, .crop, progress: progress,
                                              unreadable: &unreadable) { batch, maps in
                for (row, index) in batch.indices.enumerated() {
                    let sample = dataset.samples[index]
                    try crop.add(CropSample(
                        label: sample.label, scores: maps.probabilities[row], map: maps.maps[row],
                        predictedClassMap: maps.predictedClassMaps?[row], boxes: sample.boxes,
                        imageSize: batch.geometries[row * cropTransform.viewsPerImage].source))
                }
            }
            outcome.crop = crop
        }
        if settings.runsFull {
            let withBoxes = dataset.samples.contains { !$0.boxes.isEmpty }
            let withMasks = dataset.samples.contains { !$0.maskPaths.isEmpty }
            var full = withBoxes ? FullProtocolBoxes(interval: settings.interval, size: model.spec.imageSize,
                                                     perClass: settings.perClass) : nil
            var pxap = withMasks ? PxAP(interval: settings.interval) : nil
            outcome.images = try forEachBatch(dataset, .full, progress: progress,
                                              unreadable: &unreadable) { batch, maps in
                for (row, index) in batch.indices.enumerated() {
                    let sample = dataset.samples[index]
                    let name = sample.imagePath
                    let prepared = try maps.maps[row].preparedForFullProtocol(size: model.spec.imageSize)
                    if !sample.boxes.isEmpty {
                        try full?.add(prepared, boxes: sample.boxes, imageSize: batch.geometries[row].source,
                                      label: sample.label, name: name)
                    }
                    if !sample.maskPaths.isEmpty {
                        let mask = try GroundTruthMask.load(masks: sample.maskPaths,
                                                            ignore: sample.ignorePath,
                                                            size: model.spec.imageSize)
                        try pxap?.add(prepared, mask: mask, name: name)
                    }
                }
            }
            (outcome.full, outcome.pxap) = (full, pxap)
        }
        outcome.unreadable = unreadable.sorted()
        return outcome
    }

    public enum Pass: Sendable { case crop, full }

    /// The views of a pass: ten-crop (maps from the centre crop) or the centre crop alone for the crop
    /// protocol; the whole image at S x S for the full-image protocol.
    public func transform(_ pass: Pass) -> ImageTransform {
        switch pass {
        case .crop: return ImageTransform(settings.tenCrop ? .tenCrop : .centerCrop,
                                          imageSize: model.spec.imageSize)
        case .full: return ImageTransform(.fullImage, imageSize: model.spec.imageSize)
        }
    }

    var cropTransform: ImageTransform { transform(.crop) }

    /// What a pass asks of the model beyond what the evaluator needs (export-maps).
    public struct MapRequest: Sendable {
        /// The class whose map the full-image pass returns: the protocol's (the ground truth) unless
        /// asked otherwise.
        public var fullPassClassMode = ClassMode.gt
        /// Also Mf2 and Mf1 per image (BatchMaps.generatorMaps).
        public var generatorMaps = false
        public init() {}
    }

    /// One pass over the split: batches through the model, each batch's maps to `accumulate` (the
    /// full-image pass maps the ground-truth class unless `request` says otherwise). Unreadable images
    /// are added to `unreadable` and skipped. Returns the number of images evaluated. Export and tests
    /// reuse it.
    public func forEachBatch(_ dataset: Dataset, _ pass: Pass, progress: ProgressReporter? = nil,
                             request: MapRequest = MapRequest(), unreadable: inout Set<String>,
                             accumulate: (Batch, BatchMaps) throws -> Void) throws -> Int {
        let transform = transform(pass)
        var options = DataLoader.Options()
        options.batchSize = max(1, settings.batchSize / transform.viewsPerImage)
        options.workers = settings.workers
        options.reducedDecoding = false
        let batches = TolerantBatches(DataLoader(dataset: dataset, transform: transform, options: options))
        let views = transform.viewsPerImage
        var evaluated = 0
        // CAM localizes Top-1/Top-5 with the predicted class's map (METHOD.md section 4).
        let predictedMaps = model.options.method == .cam && transform.mode != .fullImage
        while let batch = try batches.nextBatch() {
            guard batch.count > 0 else { continue }
            let classMode = transform.mode == .fullImage ? request.fullPassClassMode : settings.classMode
            let maps = try BatchMaps(model: model, images: batch.images.to(device: model.device),
                                     labels: batch.labels,
                                     views: views, referenceView: views == 10 ? 4 : 0, classMode: classMode,
                                     topK: settings.topK, withPredictedClassMaps: predictedMaps,
                                     withGeneratorMaps: request.generatorMaps)
            try accumulate(batch, maps)
            evaluated += batch.count
            progress?.advance(by: batch.count)
        }
        unreadable.formUnion(batches.failures)
        progress?.advance(by: batches.failures.count)
        return evaluated
    }
}
