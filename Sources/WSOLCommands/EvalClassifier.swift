import Datasets
import Foundation
import Models
import Training
import WSOL

/// `wsol eval` on a `--method classify` checkpoint: top-1 and top-5 accuracy on the split (centre crop
/// at the run's input size), the figure a pretrained backbone is judged by.
enum EvalClassifier {
    static func run(_ file: WeightSources.File, _ sidecar: CheckpointSidecar, data: Dataset, split: String,
                    batchSize: Int, workers: Int, json: Bool) throws {
        let path = file.path
        let task = try ClassifierTask(architecture: sidecar.architecture, numClasses: data.classCount,
                                      classNames: data.classNames, imageSize: sidecar.imageSize)
        try task.restore(from: file.tensors, path: path)
        let result = try task.validate(data, batchSize: batchSize, workers: workers)
        let top1 = result.metrics["val_top1_cls"] ?? 0, top5 = result.metrics["val_top5_cls"] ?? 0
        if json {
            let object: [String: Any] = ["checkpoint": path, "architecture": sidecar.architecture.rawValue,
                                         "method": "classify", "split": split, "images": data.count,
                                         "classification": ["top1_cls": top1, "top5_cls": top5,
                                                            "image_size": sidecar.imageSize]]
            let encoded = try JSONSerialization.data(withJSONObject: object,
                                                     options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: encoded, as: UTF8.self))
        } else {
            print("\(path) (\(sidecar.architecture.rawValue) classifier) on \(split): \(data.count) images, "
                + String(format: "Top-1 Cls %.2f  Top-5 Cls %.2f (centre crop %d)", top1, top5,
                         sidecar.imageSize))
        }
    }
}
