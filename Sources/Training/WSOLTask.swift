import Datasets
import Evaluation
import Foundation
import Inference
import NN
import Torch
import WSOL

/// Training a WSOL method (cam, bas, sfpnsc): the method's loss; validation by the crop protocol's
/// GT-known Loc on the held-out images (top-1 when they have no boxes), through the shared evaluator.
public final class WSOLTask: TrainingTask {
    public let model: WSOLModel
    let classNames: [String]
    let dataset: DatasetFamily

    public init(model: WSOLModel, classNames: [String], dataset: DatasetFamily) {
        self.model = model
        self.classNames = classNames
        self.dataset = dataset
    }

    public var module: Module { model }
    public var newLayerPrefixes: [String] { model.newLayerPrefixes }
    public var generatorPrefixes: [String] { WSOLModel.generatorPrefixes }
    public var uniformLearningRates: Bool { false }

    public func loss(_ images: Tensor, labels: Tensor,
                     warmUp: Bool) throws -> (terms: LossTerms, diagnostics: [String: Double]) {
        let (out, terms) = try model.trainingLoss(images, labels: labels, warmUp: warmUp)
        var diagnostics: [String: Double] = [:]
        try withNoGrad {
            for (name, map) in [("mf2", out.mf2), ("mf1", out.mf1)] {
                guard let map else { continue }
                diagnostics.merge(try MapStatistics.summary(map, prefix: name)) { a, _ in a }
            }
            if let background = out.scoresBackground {
                diagnostics["cos_s_bg"] = try cosineSimilarity(out.scores, background, dim: 1).mean().item()
            }
        }
        return (terms, diagnostics)
    }

    public func fixedBatchDiagnostics(_ batch: () throws -> (images: Tensor, labels: Tensor)?)
        throws -> [String: Double] {
        guard model.options.method != .cam, let (images, labels) = try batch() else { return [:] }
        return try model.lossGradientsOnMaps(images, labels: labels)
    }

    public func validate(_ data: Dataset, batchSize: Int, workers: Int) throws -> ValidationResult {
        let (mode, k) = ClassMode.defaults(method: model.options.method,
                                           architecture: model.spec.architecture,
                                           dataset: dataset, numClasses: model.spec.numClasses)
        var settings = EvaluationSettings(
            threshold: EvaluationSettings.defaultThreshold(dataset, model.spec.architecture),
            classMode: mode, topK: k)
        settings.protocols = .crop
        settings.tenCrop = false
        settings.batchSize = batchSize
        settings.workers = workers
        defer { model.train() }
        let crop = try ModelEvaluator(model: model, settings: settings).evaluate(data).crop!.result
        let hasBoxes = data.samples.contains { !$0.boxes.isEmpty }
        var result = ValidationResult(
            metrics: ["val_top1_cls": crop.top1Cls, "val_top5_cls": crop.top5Cls],
            selection: hasBoxes ? "val_gt_known_loc" : "val_top1_cls")
        if hasBoxes {
            result.metrics["val_gt_known_loc"] = crop.gtKnownLoc
            result.metrics["val_top1_loc"] = crop.top1Loc
            result.metrics["val_boxacc_mean"] = crop.boxaccFixed.mean
        }
        result.examples = try examples(data, mode: mode, k: k)
        return result
    }

    /// The first few held-out images' maps (full-image view, ground-truth class), for TensorBoard.
    private func examples(_ data: Dataset, mode: ClassMode, k: Int) throws -> [(image: String, map: Tensor)] {
        let localizer = Localizer(model: model, preprocess: .full, classMode: .gt, topK: k, threshold: 0.5)
        return data.samples.prefix(4).compactMap { sample in
            guard let result = try? localizer.localize(sample.imagePath, label: sample.label) else {
                return nil
            }
            return (sample.imagePath, result.map)
        }
    }

    public func save(to path: String, training: [String: JSONValue]) throws {
        try Checkpoint.save(model, to: path, classNames: classNames, dataset: dataset, training: training)
    }

    public func restore(from path: String) throws {
        try WeightSources.load(path, into: model)
    }
}
