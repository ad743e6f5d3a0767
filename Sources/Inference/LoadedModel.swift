import Foundation
import Models
import Torch
import WeightsIO
import WSOL

/// A trained WSOL model ready to localize: built from a checkpoint's sidecar, or, for files that
/// carry no sidecar (BAS-Ext's), from the given architecture and method plus the head the file holds.
public struct LoadedModel {
    public let model: WSOLModel
    public let path: String
    public let info: CheckpointInfo?
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

    /// `--run DIR --which best|last`: the run's `checkpoints/<which>.safetensors`.
    public static func checkpointPath(run: String, which: String) throws -> String {
        let path = ((run as NSString).appendingPathComponent("checkpoints") as NSString)
            .appendingPathComponent("\(which).safetensors")
        guard FileManager.default.fileExists(atPath: path) else {
            throw WSOLError("\(run): no checkpoints/\(which).safetensors in this run folder")
        }
        return path
    }

    public init(path: String, overrides: Overrides = Overrides()) throws {
        let info = try Checkpoint.info(for: path)
        let file = try WeightSources.read(path)
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
        if info == nil, let size = Self.runImageSize(of: path) { spec.imageSize = size }
        if let size = overrides.imageSize { spec.imageSize = size }
        var options = info?.options.method == method
            ? info!.options
            : MethodOptions(method: method, architecture: architecture, dataset: info?.dataset ?? .cubLike)
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
        self.info = info
        self.load = load
    }

    public var classNames: [String]? { info?.classNames }

    /// Inference lays the convolutions out channels-last (WSOLModel.useChannelsLast: the same maps, faster
    /// on CPU) unless WSOL_CHANNELS_LAST=0.
    public static var runsChannelsLast: Bool {
        ProcessInfo.processInfo.environment["WSOL_CHANNELS_LAST"] != "0"
    }

    /// `options.image_size` of the run whose `checkpoints/` folder holds `path`, if it is in one.
    static func runImageSize(of path: String) -> Int? {
        let folder = (URL(fileURLWithPath: path).standardizedFileURL.path as NSString)
            .deletingLastPathComponent
        guard (folder as NSString).lastPathComponent == "checkpoints" else { return nil }
        let config = ((folder as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: config),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let options = object["options"] as? [String: Any] else { return nil }
        return options["image_size"] as? Int
    }

    /// The checkpoint file's SHA-256 (read on demand: hashing a large file is not free).
    public func sha256() throws -> String { try Checksum.sha256Hex(path) }
}
