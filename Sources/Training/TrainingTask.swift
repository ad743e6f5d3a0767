import Datasets
import NN
import Torch
import WSOL

/// What the trainer trains: a WSOL model with its method's loss, or a plain classifier. The loop, the
/// schedule, checkpoints and logs are the same for both.
public protocol TrainingTask: AnyObject {
    var module: Module { get }
    /// Parameters of layers new to the backbone (BAS's x10/x20 learning rates); empty for a classifier.
    var newLayerPrefixes: [String] { get }
    /// The foreground generators among them (their own learning-rate groups with
    /// `--generator-lr-scale`); empty for a classifier.
    var generatorPrefixes: [String] { get }
    var uniformLearningRates: Bool { get }
    /// One training forward: the loss terms and scalar diagnostics (e.g. the mean of Mf2). `warmUp`:
    /// classification only (`--warmup-epochs`); a task without mask losses ignores it.
    func loss(_ images: Tensor, labels: Tensor,
              warmUp: Bool) throws -> (terms: LossTerms, diagnostics: [String: Double])
    /// Per-epoch diagnostics on one fixed batch (e.g. each loss term's gradient on the maps), which
    /// `batch` gives when called; empty for a task that has none.
    func fixedBatchDiagnostics(_ batch: () throws -> (images: Tensor, labels: Tensor)?)
        throws -> [String: Double]
    /// Held-out metrics; `selection` names the one that picks the best epoch.
    func validate(_ data: Dataset, batchSize: Int, workers: Int) throws -> ValidationResult
    /// Writes the weights (and the sidecar holding `training`) to `path`, atomically.
    func save(to path: String, training: [String: JSONValue]) throws
    /// Loads the weights of a checkpoint this task saved.
    func restore(from path: String) throws
}

public struct ValidationResult {
    public var metrics: [String: Double]
    /// The key of `metrics` that selects the best checkpoint (higher is better).
    public var selection: String
    public var selectionValue: Double { metrics[selection] ?? 0 }
    /// A few (image path, raw map) pairs to show in TensorBoard.
    public var examples: [(image: String, map: Tensor)] = []
}
