import Datasets
import Evaluation
import Foundation
import Inference
import Models
import NN
import Torch
import WeightsIO
import WSOL

/// `--method classify`: torchvision's plain classifier with cross-entropy on its own head, saved with
/// torchvision's key names so that `--weights` later loads it exactly as an ImageNet file. This is how
/// a backbone is pretrained where no ImageNet weights can be had.
public final class ClassifierTask: TrainingTask {
    public let network: Module & UnaryLayer
    public let architecture: Architecture
    let classNames: [String]
    let imageSize: Int

    public init(architecture: Architecture, numClasses: Int, classNames: [String], imageSize: Int) throws {
        network = try architecture.build(numClasses: numClasses)
        self.architecture = architecture
        self.classNames = classNames
        self.imageSize = imageSize
    }

    public var module: Module { network }
    public var newLayerPrefixes: [String] { [] }
    public var generatorPrefixes: [String] { [] }
    public var uniformLearningRates: Bool { true }

    public func fixedBatchDiagnostics(_ batch: () throws -> (images: Tensor, labels: Tensor)?)
        throws -> [String: Double] {
        [:]
    }

    public func loss(_ images: Tensor, labels: Tensor,
                     warmUp: Bool) throws -> (terms: LossTerms, diagnostics: [String: Double]) {
        var terms = LossTerms()
        terms.add("cls", try crossEntropy(network(images), labels))
        return (terms, [:])
    }

    /// Top-1 and top-5 accuracy on the held-out images (centre crop).
    public func validate(_ data: Dataset, batchSize: Int, workers: Int) throws -> ValidationResult {
        network.eval()
        defer { network.train() }
        var options = DataLoader.Options()
        options.batchSize = batchSize
        options.workers = workers
        options.reducedDecoding = false
        let batches = TolerantBatches(
            DataLoader(dataset: data, transform: ImageTransform(.centerCrop, imageSize: imageSize),
                       options: options))
        var top1 = 0, top5 = 0, count = 0
        let device = network.parameters().first?.device ?? "cpu"
        while let batch = try batches.nextBatch() {
            guard batch.count > 0 else { continue }
            let logits = try withNoGrad { try network(batch.images.to(device: device)).to(device: "cpu") }
            let flat = try logits.floats(), classes = logits.shape[1]
            for (row, label) in batch.labels.enumerated() {
                let scores = Array(flat[(row * classes)..<((row + 1) * classes)])
                let ranking = Classification.ranking(scores)
                if ranking.first == label { top1 += 1 }
                if ranking.prefix(5).contains(label) { top5 += 1 }
                count += 1
            }
        }
        let pct = { (n: Int) in count == 0 ? 0 : Double(n) * 100 / Double(count) }
        return ValidationResult(metrics: ["val_top1_cls": pct(top1), "val_top5_cls": pct(top5)],
                                selection: "val_top1_cls")
    }

    public func save(to path: String, training: [String: JSONValue]) throws {
        var dict = StateDict()
        for (name, tensor) in network.stateDict() { dict.set(name, try tensor.detach().to(device: "cpu")) }
        try WeightsFile.saveSafetensors(dict, to: path, metadata: ["format": "wsol-classifier"])
        let model = CheckpointSidecar.Model.classifier(architecture: architecture,
                                                       numClasses: classNames.count, imageSize: imageSize)
        let sidecar = CheckpointSidecar(model: model, classNames: classNames, training: training)
        try Checkpoint.writeSidecar(sidecar, for: path)
    }

    public func restore(from path: String) throws {
        try restore(from: WeightsFile.load(path), path: path)
    }

    /// Loads weights already read from the checkpoint at `path`.
    public func restore(from weights: StateDict, path: String) throws {
        try network.load(weights, from: path, strict: true)
    }
}
