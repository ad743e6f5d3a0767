/// The only Python globals a weights pickle may name: what a state dict needs. Anything else is
/// refused before it could do anything, so a weights file can never run code. This is the one place
/// that decides.
enum AllowedGlobal: Equatable {
    case orderedDict
    /// torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])
    case rebuildTensorV2
    /// torch._utils._rebuild_tensor(storage, offset, size, stride), 2018 files.
    case rebuildTensor
    /// torch._utils._rebuild_parameter(data, requires_grad, hooks[, state]).
    case rebuildParameter
    /// torch.<Prefix>Storage: names the element type of a persistent storage.
    case storageType(StoredDType)
    /// torch.<Prefix>Tensor: the 2017 encoding, an empty tensor filled by
    /// BUILD(storage, offset, size, stride).
    case legacyTensorType(StoredDType)

    static func resolve(module: String, name: String) -> AllowedGlobal? {
        switch (module, name) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensorV2
        case ("torch._utils", "_rebuild_tensor"): return .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"), ("torch._utils", "_rebuild_parameter_with_state"):
            return .rebuildParameter
        case ("torch", _) where name.hasSuffix("Storage"):
            return StoredDType(torchPrefix: String(name.dropLast("Storage".count))).map { .storageType($0) }
        case ("torch", _) where name.hasSuffix("Tensor"):
            return StoredDType(torchPrefix: String(name.dropLast("Tensor".count)))
                .map { .legacyTensorType($0) }
        default: return nil
        }
    }
}
