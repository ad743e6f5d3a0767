import Torch

/// The three encodings weight files come in.
public enum WeightFormat: String, Sendable {
    case safetensors
    /// `torch.save` since PyTorch 1.6: a zip of `data.pkl` plus raw storages.
    case pytorchZip = "pytorch-zip"
    /// The older sequential pickle format, including the 2017 encoding.
    case pytorchLegacy = "pytorch-legacy"
}

/// Named tensors in file order, with the element type each had in the file.
public struct StateDict {
    public struct Entry {
        public let key: String
        public var tensor: Tensor
        /// The type in the file; the tensor may be wider (float16 -> float32, see `StoredDType`).
        public let storedDType: StoredDType
    }

    public private(set) var entries: [Entry] = []
    private var index: [String: Int] = [:]
    /// safetensors `__metadata__` (empty for PyTorch files).
    public var metadata: [String: String] = [:]
    /// The encoding of the file it was loaded from; nil for one built in memory.
    public internal(set) var format: WeightFormat?

    public init() {}

    public var keys: [String] { entries.map(\.key) }
    public var tensors: [(key: String, tensor: Tensor)] { entries.map { ($0.key, $0.tensor) } }
    public var count: Int { entries.count }
    /// Elements in all tensors.
    public var parameterCount: Int { entries.reduce(0) { $0 + $1.tensor.numel } }

    public subscript(key: String) -> Tensor? { index[key].map { entries[$0].tensor } }

    /// Replaces the tensor under `key`, or appends it.
    public mutating func set(_ key: String, _ tensor: Tensor, storedDType: StoredDType? = nil) {
        let stored = storedDType ?? StoredDType(tensor.dtype)
        if let i = index[key] {
            entries[i] = Entry(key: key, tensor: tensor, storedDType: stored)
        } else {
            index[key] = entries.count
            entries.append(Entry(key: key, tensor: tensor, storedDType: stored))
        }
    }
}
