import Foundation
import Models
import RunStore
import Torch
import WeightsIO
import WSOL

/// A trained WSOL model ready to localize: built from a checkpoint's sidecar, or, for files that
/// carry no sidecar (BAS-Ext's), from the given architecture and method plus the head the file holds.
public struct LoadedModel {
    public let model: WSOLModel
    public let path: String
    /// The checkpoint's sidecar (nil for BAS-Ext's files).
    public let sidecar: CheckpointSidecar?
    public let load: WeightsLoadReport

    /// What the caller says about the model; nil fields come from the checkpoint.
    public struct Overrides {
        public var architecture: Architecture?
        public var method: WSOL.Method?
        public var imageSize: Int?
        /// Applied to the options the checkpoint (or the method's defaults) gives.
        public var adjustOptions: (inout MethodOptions) throws -> Void = { _ in }

        public init(architecture: Architecture? = nil, method: WSOL.Method? = nil, imageSize: Int? = nil) {
            self.architecture = architecture
            self.method = method
            self.imageSize = imageSize
        }
    }

    /// Runs `body` (which runs this model); outputs that are not finite become one line naming this
    /// checkpoint (exit 2), where a later step would blame an image or print NaN.
    public func namingCheckpoint<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch is NonFiniteOutputError {
            throw WSOLError("\(path): the model's outputs are not finite (NaN, infinity or overflowing "
                + "values: its weights diverged); retrain it or use another checkpoint")
        }
    }

    public init(path: String, overrides: Overrides = Overrides()) throws {
        try self.init(file: WeightSources.read(path), overrides: overrides)
    }

    /// The model in `file` (read once by the caller, its sidecar with it).
    public init(file: WeightSources.File, overrides: Overrides = Overrides()) throws {
        let path = file.path, info = file.sidecar?.wsol, dataset = file.sidecar?.dataset
        guard file.hasWSOLHead, let head = file.headShape else {
            throw WSOLError(
                "\(path): holds no WSOL class head (classifier_cls.*): an ImageNet backbone file? "
                + "Train a model first (wsol train --weights \((path as NSString).lastPathComponent))")
        }
        guard let architecture = overrides.architecture ?? info?.spec.architecture else {
            throw WSOLError("\(path): the file does not say its architecture: give --arch")
        }
        guard let method = overrides.method ?? info?.options.method else {
            throw WSOLError(
                "\(path): the file does not say its method: give --method (bas for BAS-Ext's files)")
        }
        if let stated = info?.spec.architecture, stated != architecture {
            throw WSOLError("\(path): a \(stated.rawValue) checkpoint, not \(architecture.rawValue)")
        }
        var spec = info?.spec ?? ModelSpec(architecture: architecture, numClasses: head.numClasses,
                                           headWidth: head.headWidth)
        // Without a sidecar, a checkpoint inside a run folder still has its size in the run's config.json.
        if info == nil, let config = RunFolder.config(ofRunHolding: path) {
            spec.imageSize = config.options.imageSize
        }
        if let size = overrides.imageSize { spec.imageSize = size }
        var options = info?.options.method == method
            ? info!.options
            : MethodOptions(method: method, architecture: architecture, dataset: dataset ?? .cubLike)
        try overrides.adjustOptions(&options)
        let model = try WSOLModel(spec, options)
        let load = try WeightSources.load(file, into: model)
        if let key = try model.firstNonFiniteTensor() {
            throw WSOLError(
                "\(path): \(key) holds NaN or infinite values (a diverged training run?); it cannot localize")
        }
        model.eval()
        if Self.runsChannelsLast { try model.useChannelsLast() }
        self.model = model
        self.path = path
        self.sidecar = file.sidecar
        self.load = load
    }

    public var classNames: [String]? { sidecar?.classNames }

    /// Inference lays the convolutions out channels-last (WSOLModel.useChannelsLast: the same maps, faster
    /// on CPU) unless WSOL_CHANNELS_LAST=0.
    public static var runsChannelsLast: Bool {
        ProcessInfo.processInfo.environment["WSOL_CHANNELS_LAST"] != "0"
    }

    /// The checkpoint file's SHA-256 (read on demand: hashing a large file is not free).
    public func sha256() throws -> String { try Checksum.sha256Hex(path) }
}
