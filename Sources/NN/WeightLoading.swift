import Torch
import WeightsIO

extension Module {
    /// Copies a state dict into this module's parameters and buffers, by torchvision key name.
    /// Strict: missing keys and shape mismatches are errors naming the file and key; unexpected keys
    /// are errors unless `skipping` accepts them (e.g. `fc.*` when the head is new). A missing
    /// `num_batches_tracked` is filled with 0 (PyTorch's default), not reported.
    @discardableResult
    public func load(
        _ file: StateDict, from path: String, strict: Bool = true, skipping: (String) -> Bool = { _ in false }
    ) throws -> LoadReport {
        let own = stateDict()
        let report = try StateDictMatcher.match(
            expected: own.map { (key: $0.name, shape: $0.tensor.shape) }, file: file, strict: strict,
            path: path, allowSkip: skipping)
        try withNoGrad {
            for (name, tensor) in own {
                if let source = file[name], source.shape == tensor.shape {
                    try tensor.copy_(source)
                } else if name.hasSuffix("num_batches_tracked") {
                    try tensor.zero_()
                }
            }
        }
        return report
    }
}
