import Datasets
import Foundation
import Models
import RunStore
import Torch
import WeightsIO
import WSOL

/// Facts about the environment and data that config.json records next to the options.
public enum RunRecord {
    /// The git commit of the source checkout this binary was built from, when it is one.
    public static var gitCommit: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let head = root.appendingPathComponent(".git/HEAD")
        guard let text = try? String(contentsOf: head, encoding: .utf8) else { return "unknown" }
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("ref: ") else { return line }
        let ref = root.appendingPathComponent(".git").appendingPathComponent(String(line.dropFirst(5)))
        if let commit = try? String(contentsOf: ref, encoding: .utf8) {
            return commit.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // A packed ref.
        let packed = (try? String(contentsOf: root.appendingPathComponent(".git/packed-refs"),
                                  encoding: .utf8)) ?? ""
        return packed.split(separator: "\n").first { $0.hasSuffix(" " + line.dropFirst(5)) }
            .map { String($0.split(separator: " ")[0]) } ?? "unknown"
    }

    public static func environment(threads: Int) -> EnvironmentRecord {
        EnvironmentRecord(productVersion: Product.version, gitCommit: gitCommit,
                          libtorch: TorchRuntime.libtorchVersion, opencv: TorchRuntime.opencvVersion,
                          threads: threads, cudaDevices: TorchRuntime.cudaDeviceCount)
    }

    public static func data(train: Dataset, validation: Dataset, reducedDecoding: Bool) -> DataRecord {
        DataRecord(trainImages: train.count, trainFingerprint: HeldOutSplit.fingerprint(train),
                   validationImages: validation.count,
                   validationFingerprint: HeldOutSplit.fingerprint(validation),
                   heldOut: validation.samples.map(\.imagePath), classes: train.classNames.count,
                   reducedJPEGDecoding: reducedDecoding)
    }
}
