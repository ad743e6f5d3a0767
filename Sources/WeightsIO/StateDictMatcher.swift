import Torch

/// How a file's keys matched a model's.
public struct LoadReport {
    public var missing: [String] = []
    public var unexpected: [String] = []
    public var mismatched: [(key: String, expected: [Int], found: [Int])] = []
    /// Missing `*.num_batches_tracked` buffers, filled with 0 as PyTorch's BatchNorm does.
    public var filledNumBatchesTracked: [String] = []
    /// File keys the caller allowed to skip (`classifier.*`, `fc.*`, ...).
    public var skipped: [String] = []

    public var isExact: Bool { missing.isEmpty && unexpected.isEmpty && mismatched.isEmpty }
}

/// Matches a file's tensors to a model's expected keys and shapes, by name.
public enum StateDictMatcher {
    /// Strict: a missing key, a shape mismatch, or an unexpected key that `allowSkip` does not accept
    /// (a key `allowSkip` accepts is skipped, listed in `skipped`, when unexpected or of another shape)
    /// throws one line naming the file and the first such key. Not strict: all are listed in the
    /// report. Missing `*.num_batches_tracked` never count as missing: `filledNumBatchesTracked`.
    public static func match(expected: [(key: String, shape: [Int])], file: StateDict, strict: Bool,
                             path: String,
                             allowSkip: (String) -> Bool = { _ in false }) throws -> LoadReport {
        var report = LoadReport()
        let expectedKeys = Set(expected.map(\.key))
        for (key, shape) in expected {
            guard let tensor = file[key] else {
                if key.hasSuffix("num_batches_tracked") {
                    report.filledNumBatchesTracked.append(key)
                } else {
                    report.missing.append(key)
                }
                continue
            }
            if tensor.shape != shape {
                // A skippable key of another shape is a new head (e.g. fc for 10 classes): keep the model's.
                if allowSkip(key) {
                    report.skipped.append(key)
                } else {
                    report.mismatched.append((key, shape, tensor.shape))
                }
            }
        }
        for key in file.keys where !expectedKeys.contains(key) {
            if allowSkip(key) { report.skipped.append(key) } else { report.unexpected.append(key) }
        }
        guard strict else { return report }
        if let key = report.missing.first {
            throw WeightsError(path, "key \(key) is missing (\(report.missing.count) missing in all)")
        }
        if let m = report.mismatched.first {
            throw WeightsError(path, "key \(m.key) has shape \(m.found), the model expects \(m.expected)")
        }
        if let key = report.unexpected.first {
            throw WeightsError(path,
                "key \(key) is not in the model (\(report.unexpected.count) unexpected in all)")
        }
        return report
    }

    /// The zero `num_batches_tracked` buffer PyTorch's BatchNorm starts with (int64, 0-dimensional).
    public static func zeroNumBatchesTracked() throws -> Tensor { try Tensor([0], shape: []) }
}
