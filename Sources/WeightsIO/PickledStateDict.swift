/// From an unpickled PyTorch object to tensors: finds the state dict and copies each tensor out of
/// its storage. Shared storages are copied per tensor (each key gets its own tensor).
enum PickledStateDict {
    /// (key, recipe) in file order. Accepts a state dict, or a checkpoint dict holding one under
    /// "state_dict" or "model" (one level down, never further).
    private static func recipes(in value: PickleValue,
                                path: String) throws -> [(key: String, recipe: TensorRecipe)] {
        guard case .dict(var dict) = value else {
            throw WeightsError(path, "holds a \(value.typeName), not a state dict")
        }
        for entry in dict.entries {
            if case .string(let name) = entry.key, name == "state_dict" || name == "model",
               case .dict(let inner) = entry.value {
                dict = inner
                break
            }
        }
        return try dict.entries.map { entry in
            guard case .string(let key) = entry.key else {
                throw WeightsError(path, "a state-dict key is a \(entry.key.typeName)")
            }
            guard case .tensor(let box) = entry.value else {
                throw WeightsError(path, "key \(key) holds a \(entry.value.typeName), not a tensor")
            }
            guard let recipe = box.recipe else { throw WeightsError(path, "key \(key): tensor without data") }
            return (key, recipe)
        }
    }

    /// Copies every tensor; `storage` gives the bytes of a root storage (named by its key).
    static func load(_ value: PickleValue, path: String,
                     storage: (StorageRef) throws -> UnsafeRawBufferPointer) throws -> StateDict {
        var result = StateDict()
        for (key, recipe) in try recipes(in: value, path: path) {
            let ref = recipe.storage
            var bytes = try storage(ref)
            let size = ref.dtype.elementSize
            let (start, count) = ref.view ?? (0, ref.numel)
            let (end, overflow) = start.addingReportingOverflow(count)
            guard !overflow, end.multipliedReportingOverflow(by: size).partialValue <= bytes.count,
                  !end.multipliedReportingOverflow(by: size).overflow else {
                throw WeightsError(path, "key \(key): storage \(ref.key) is shorter than its \(end) elements")
            }
            bytes = UnsafeRawBufferPointer(rebasing: bytes[(start * size)..<(end * size)])
            let tensor = try StorageTensor.make(bytes, dtype: ref.dtype, size: recipe.size,
                                                stride: recipe.stride, offset: recipe.offset,
                                                path: path, key: key)
            result.set(key, tensor, storedDType: ref.dtype)
        }
        return result
    }
}
