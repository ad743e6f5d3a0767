/// Checkpoints saved from a model wrapped in nn.DataParallel or DistributedDataParallel carry every
/// key as `module.<key>`; the model itself knows only `<key>`.
extension StateDict {
    public static let dataParallelPrefix = "module."

    /// The same tensors with the `module.` prefix removed, when every key has it; nil otherwise.
    public func strippingDataParallelPrefix() -> StateDict? {
        let prefix = Self.dataParallelPrefix
        guard !entries.isEmpty, entries.allSatisfy({ $0.key.hasPrefix(prefix) }) else { return nil }
        var stripped = StateDict()
        for entry in entries {
            let key = String(entry.key.dropFirst(prefix.count))
            stripped.set(key, entry.tensor, storedDType: entry.storedDType)
        }
        stripped.metadata = metadata
        stripped.format = format
        return stripped
    }
}
