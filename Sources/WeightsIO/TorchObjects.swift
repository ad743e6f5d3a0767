/// What the allowed globals mean: how a state-dict pickle's calls, BUILDs and persistent ids become
/// containers, storages and tensor recipes. Nothing here runs code from the file.
enum TorchObjects {
    typealias Fail = PickleFail

    static func call(_ function: AllowedGlobal, _ args: [PickleValue], fail: Fail) throws -> PickleValue {
        switch function {
        case .orderedDict:
            guard args.isEmpty else { throw fail("OrderedDict called with arguments") }
            return .dict(PickleDict())
        case .rebuildTensorV2, .rebuildTensor:
            let minimum = function == .rebuildTensor ? 4 : 6
            guard args.count >= minimum, args.count <= 7 else {
                throw fail("tensor rebuilt from \(args.count) arguments")
            }
            return .tensor(TensorBox(recipe: try recipe(args[0], args[1], args[2], args[3], fail: fail)))
        case .rebuildParameter:
            guard args.count == 3 || args.count == 4, case .tensor = args[0] else {
                throw fail("parameter without a tensor")
            }
            return args[0]
        case .legacyTensorType(let dtype):
            guard args.isEmpty else { throw fail("torch.\(dtype)Tensor called with arguments") }
            return .tensor(TensorBox(recipe: nil, declaredType: dtype))
        case .storageType:
            throw fail("a storage type cannot be called")
        }
    }

    /// BUILD: the 2017 encoding's (storage, offset, size, stride) state; an OrderedDict's attributes
    /// (`_metadata`) carry nothing the weights need.
    static func build(_ target: PickleValue, state: PickleValue, fail: Fail) throws {
        switch target {
        case .dict:
            return
        case .tensor(let box) where box.recipe == nil:
            guard case .tuple(let t) = state, t.items.count == 4 else {
                throw fail("tensor state is not (storage, offset, size, stride)")
            }
            let recipe = try recipe(t.items[0], t.items[1], t.items[2], t.items[3], fail: fail)
            if let declared = box.declaredType, declared != recipe.storage.dtype {
                throw fail("a \(declared) tensor on a \(recipe.storage.dtype) storage")
            }
            box.recipe = recipe
        case .tensor:
            return  // a Parameter's extra state
        default:
            throw fail("BUILD on a \(target.typeName)")
        }
    }

    /// ('storage', torch.<T>Storage, key, location, numel[, (view key, offset, size)]).
    static func persistentLoad(_ id: PickleValue, fail: Fail) throws -> StorageRef {
        guard case .tuple(let t) = id, t.items.count >= 5, case .string(let kind) = t.items[0] else {
            throw fail("unrecognized persistent id")
        }
        guard kind == "storage" else { throw fail("persistent id of kind '\(kind)' (not a state dict)") }
        guard case .global(.storageType(let dtype)) = t.items[1] else {
            throw fail("storage without a known storage type")
        }
        guard case .string(let key) = t.items[2] else { throw fail("storage key is not a string") }
        let numel = try nonNegative(t.items[4], "storage size", fail)
        var view: (offset: Int, count: Int)?
        if t.items.count > 5, case .tuple(let v) = t.items[5] {
            guard v.items.count == 3 else { throw fail("storage view is not (key, offset, size)") }
            view = (try nonNegative(v.items[1], "view offset", fail),
                    try nonNegative(v.items[2], "view size", fail))
        }
        return StorageRef(key: key, dtype: dtype, numel: numel, view: view)
    }

    private static func recipe(_ storage: PickleValue, _ offset: PickleValue, _ size: PickleValue,
                               _ stride: PickleValue, fail: Fail) throws -> TensorRecipe {
        guard case .storage(let ref) = storage else {
            throw fail("tensor data is a \(storage.typeName), not a storage")
        }
        let size = try integers(size, "size", fail)
        let stride = try integers(stride, "stride", fail)
        guard size.count == stride.count else { throw fail("tensor size and stride differ in length") }
        return TensorRecipe(storage: ref, offset: try nonNegative(offset, "storage offset", fail), size: size,
                            stride: stride)
    }

    private static func integers(_ value: PickleValue, _ what: String, _ fail: Fail) throws -> [Int] {
        guard case .tuple(let t) = value else { throw fail("tensor \(what) is a \(value.typeName)") }
        return try t.items.map { try nonNegative($0, what, fail) }
    }

    private static func nonNegative(_ value: PickleValue, _ what: String, _ fail: Fail) throws -> Int {
        guard case .int(let n) = value, n >= 0 else { throw fail("\(what) is not a non-negative integer") }
        return n
    }
}
