import Datasets
import Foundation
import WeightsIO

/// The validation images the trainer holds out of the training split (METHOD.md section 3, [ours]):
/// `perClass` images of each class, drawn with the run's seed, so model selection never sees the test set.
public enum HeldOutSplit {
    public static func split(_ train: Dataset, perClass: Int, seed: UInt64) -> (train: Dataset, validation: Dataset) {
        guard perClass > 0 else { return (train, Dataset(split: "val", classNames: train.classNames, samples: [])) }
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

    /// SHA-256 of the image list (path and label per line): what config.json records of the data.
    public static func fingerprint(_ dataset: Dataset) -> String {
        let text = dataset.samples.map { "\($0.imagePath)\t\($0.label)" }.joined(separator: "\n")
        return Checksum.sha256Hex(bytes: Array(text.utf8))
    }
}
