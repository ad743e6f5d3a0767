import Datasets
import Foundation
import WeightsIO

/// The validation images the trainer holds out of the training split (METHOD.md section 3, [ours]):
/// `perClass` images of each class, drawn with the run's seed, so model selection never sees the test set.
public enum HeldOutSplit {
    public static func split(_ train: Dataset, perClass: Int,
                             seed: UInt64) -> (train: Dataset, validation: Dataset) {
        guard perClass > 0 else {
            return (train, Dataset(split: "val", classNames: train.classNames, samples: []))
        }
        var byClass: [Int: [Int]] = [:]
        for (index, sample) in train.samples.enumerated() { byClass[sample.label, default: []].append(index) }
        var held = Set<Int>()
        for label in byClass.keys.sorted() {
            var indices = byClass[label]!
            var random = SeededRandom(seed: seed, -2, label)
            random.shuffle(&indices)
            // Keep at least one training image of every class.
            held.formUnion(indices.prefix(min(perClass, indices.count - 1)))
        }
        let kept = train.samples.indices.filter { !held.contains($0) }.map { train.samples[$0] }
        let validation = train.samples.indices.filter { held.contains($0) }.map { train.samples[$0] }
        return (Dataset(split: "train", classNames: train.classNames, samples: kept),
                Dataset(split: "val", classNames: train.classNames, samples: validation))
    }

    /// SHA-256 of the image list (path and label per line): what config.json records of the data. The
    /// paths are taken below the folder all images share, so the same dataset typed as `./ds`, as an
    /// absolute path or copied elsewhere has one fingerprint.
    public static func fingerprint(_ dataset: Dataset) -> String {
        let paths = dataset.samples.map { URL(fileURLWithPath: $0.imagePath).standardizedFileURL.path }
        var shared = paths.first.map { ($0 as NSString).deletingLastPathComponent + "/" } ?? ""
        for path in paths.dropFirst() where !path.hasPrefix(shared) {
            while !shared.isEmpty && !path.hasPrefix(shared) {
                shared = (String(shared.dropLast()) as NSString).deletingLastPathComponent
                shared += shared.hasSuffix("/") ? "" : "/"
            }
        }
        return listFingerprint(zip(paths, dataset.samples).map {
            (String($0.0.dropFirst(shared.count)), $0.1.label)
        })
    }

    /// The fingerprint of runs started before the one above: the paths as typed.
    public static func typedPathFingerprint(_ dataset: Dataset) -> String {
        listFingerprint(dataset.samples.map { ($0.imagePath, $0.label) })
    }

    private static func listFingerprint(_ list: [(String, Int)]) -> String {
        Checksum.sha256Hex(bytes: Array(list.map { "\($0.0)\t\($0.1)" }.joined(separator: "\n").utf8))
    }
}
