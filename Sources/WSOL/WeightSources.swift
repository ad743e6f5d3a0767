import Foundation
import NN
import Torch
import WeightsIO

/// What a weights file turned out to be, and how its keys met the model.
public struct WeightsLoadReport {
    public enum Kind: String, Sendable {
        /// Our checkpoint (safetensors + sidecar) or any file with the model's exact keys.
        case checkpoint
        /// A BAS-Ext checkpoint (`.pth.tar` holding {'model': state_dict}).
        case basExt = "bas-ext"
        /// A torchvision ImageNet file: the backbone only.
        case imagenet
    }
    public var kind: Kind
    public var report: LoadReport
    /// The model's new layers left at their initialization (ImageNet files).
    public var newLayers: [String] = []
    /// Notes for the user: a stripped `module.` prefix, translated VGG names.
    public var notes: [String] = []
}

/// Loads any weights file a user has into a WSOL model (METHOD.md sections 1 and 6): our
/// checkpoints, BAS-Ext's released checkpoints, and torchvision ImageNet files (backbone only: their
/// `classifier.*`, `fc.*`, `AuxLogits.*` are skipped and listed).
public enum WeightSources {
    /// BAS-Ext's VGG16 names its convolutions conv1_1 ... conv5_3; torchvision's `features.N`.
    public static let basVGGNames: [String: Int] = [
        "conv1_1": 0, "conv1_2": 2, "conv2_1": 5, "conv2_2": 7, "conv3_1": 10, "conv3_2": 12, "conv3_3": 14,
        "conv4_1": 17, "conv4_2": 19, "conv4_3": 21, "conv5_1": 24, "conv5_2": 26, "conv5_3": 28,
    ]

    /// Keys of torchvision's classifiers, which no WSOL model has.
    public static func isImageNetHead(_ key: String) -> Bool {
        key.hasPrefix("classifier.") || key.hasPrefix("fc.") || key.hasPrefix("AuxLogits.")
    }

    /// A weights file with our key names: a DataParallel `module.` prefix stripped and BAS-Ext's VGG16
    /// names translated, each said in `notes`.
    public struct File {
        public let path: String
        public let tensors: StateDict
        public let notes: [String]
        /// Its sidecar, when it is one of our checkpoints.
        public let sidecar: CheckpointSidecar?

        /// Whether it holds a WSOL class head (ours or BAS-Ext's), not only a backbone.
        public var hasWSOLHead: Bool { tensors.keys.contains { $0.hasPrefix("classifier_cls.") } }

        /// The class count and head width its head implies (nil for a backbone-only file).
        public var headShape: (numClasses: Int, headWidth: Int)? {
            guard let last = tensors["classifier_cls.4.weight"],
                  let first = tensors["classifier_cls.0.weight"],
                  last.dim == 4, first.dim == 4 else { return nil }
            return (last.shape[0], first.shape[0])
        }
    }

    public static func read(_ path: String) throws -> File {
        var file = try WeightsFile.load(path)
        var notes: [String] = []
        if let stripped = file.strippingDataParallelPrefix() {
            file = stripped
            notes.append("stripped the '\(StateDict.dataParallelPrefix)' prefix (a DataParallel checkpoint)")
        }
        if file.keys.contains(where: {
            basVGGNames[$0.split(separator: ".").first.map(String.init) ?? ""] != nil
        }) {
            file = renamed(file) { key in
                let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
                guard parts.count == 2, let index = basVGGNames[parts[0]] else { return key }
                return "features.\(index).\(parts[1])"
            }
            notes.append("translated BAS-Ext's VGG16 names (conv1_1 ... conv5_3) to torchvision's features.N")
        }
        return File(path: path, tensors: file, notes: notes, sidecar: try Checkpoint.sidecar(for: path))
    }

    /// A key of the foreground generators G2 and G1, which a warm start may find missing or left over.
    static func isGenerator(_ key: String) -> Bool {
        WSOLModel.generatorPrefixes.contains { key.hasPrefix($0) }
    }

    /// `warmStart`: a checkpoint of another method is accepted as a start ([ours]; e.g. a cam run's
    /// head and backbone for bas or sfpnsc): the generators it lacks keep their initialization and
    /// are reported as new layers, the generators the model lacks are skipped and listed. Every other
    /// key must fit exactly. Without it (resuming, evaluating) a checkpoint must match the model.
    @discardableResult
    public static func load(_ path: String, into model: WSOLModel,
                            warmStart: Bool = false) throws -> WeightsLoadReport {
        try load(read(path), into: model, warmStart: warmStart)
    }

    @discardableResult
    public static func load(_ file: File, into model: WSOLModel,
                            warmStart: Bool = false) throws -> WeightsLoadReport {
        let path = file.path, notes = file.notes
        if file.hasWSOLHead {
            let kind: WeightsLoadReport.Kind = file.sidecar?.wsol != nil ? .checkpoint : .basExt
            guard warmStart else {
                // Checkpoint keys must match the model exactly: a mismatch is one line naming the first key.
                let report = try model.load(file.tensors, from: path, strict: true)
                return WeightsLoadReport(kind: kind, report: report, notes: notes)
            }
            let report = try model.load(file.tensors, from: path, strict: false, skipping: isGenerator)
            try requireFit(report, path: path, model: model, mayBeMissing: isGenerator)
            // A generator of another shape (per-class against class-agnostic) is skipped and new as well.
            let own = Set(model.stateDict().map(\.name))
            return WeightsLoadReport(kind: kind, report: report,
                                     newLayers: report.missing + report.skipped.filter(own.contains),
                                     notes: notes)
        }
        let report = try model.load(file.tensors, from: path, strict: false, skipping: isImageNetHead)
        let newPrefixes = model.newLayerPrefixes
        try requireFit(report, path: path, model: model) { k in newPrefixes.contains { k.hasPrefix($0) } }
        return WeightsLoadReport(kind: .imagenet, report: report, newLayers: report.missing, notes: notes)
    }

    /// A non-strict load is still an error, naming the key, unless only `mayBeMissing` keys are missing
    /// and every tensor present fits.
    private static func requireFit(_ report: LoadReport, path: String, model: WSOLModel,
                                   mayBeMissing: (String) -> Bool) throws {
        if let key = report.missing.first(where: { !mayBeMissing($0) }) {
            throw WeightsError(path, "key \(key) is missing: not weights for "
                + "\(model.spec.architecture.rawValue)")
        }
        if let m = report.mismatched.first {
            throw WeightsError(path, "key \(m.key) has shape \(m.found), the model expects \(m.expected)")
        }
        if let key = report.unexpected.first {
            throw WeightsError(path, "key \(key) is not in the \(model.spec.architecture.rawValue) "
                + "WSOL model")
        }
    }

    private static func renamed(_ dict: StateDict, _ rename: (String) -> String) -> StateDict {
        var result = StateDict()
        for entry in dict.entries {
            result.set(rename(entry.key), entry.tensor, storedDType: entry.storedDType)
        }
        result.metadata = dict.metadata
        return result
    }
}
