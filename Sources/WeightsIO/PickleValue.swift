/// What the restricted unpickler builds: plain data, state-dict containers, storages and tensors.
/// Containers are classes because pickles share and mutate them through the memo.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer wider than 64 bits, as little-endian two's-complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple(PickleTuple)
    case list(PickleList)
    case dict(PickleDict)
    case global(AllowedGlobal)
    case storage(StorageRef)
    case tensor(TensorBox)

    /// Nesting depth, kept in the containers so that it costs nothing to ask.
    var depth: Int {
        switch self {
        case .tuple(let t): return t.depth
        case .list(let l): return l.depth
        case .dict(let d): return d.depth
        default: return 0
        }
    }

    var typeName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .global: return "global"
        case .storage: return "storage"
        case .tensor: return "tensor"
        }
    }
}

final class PickleTuple {
    let items: [PickleValue]
    let depth: Int
    init(_ items: [PickleValue]) {
        self.items = items
        depth = 1 + (items.map(\.depth).max() ?? 0)
    }
}

final class PickleList {
    var items: [PickleValue] = []
    var depth = 1
}

/// A dict or OrderedDict: insertion order kept, a repeated string key replaces its value.
final class PickleDict {
    private(set) var entries: [(key: PickleValue, value: PickleValue)] = []
    private var stringIndex: [String: Int] = [:]
    var depth = 1

    func set(_ key: PickleValue, _ value: PickleValue) {
        depth = max(depth, 1 + max(key.depth, value.depth))
        if case .string(let name) = key {
            if let i = stringIndex[name] {
                entries[i].value = value
                return
            }
            stringIndex[name] = entries.count
        }
        entries.append((key, value))
    }
}

/// A storage named by a persistent id: ('storage', torch.<T>Storage, key, location, numel[, view]).
struct StorageRef {
    let key: String
    let dtype: StoredDType
    let numel: Int
    /// Legacy storage views: elements [offset, offset + count) of the root storage `key`.
    let view: (offset: Int, count: Int)?
}

/// A tensor view on a storage (sizes, strides and offset in elements).
struct TensorRecipe {
    let storage: StorageRef
    let offset: Int
    let size: [Int]
    let stride: [Int]
}

/// A tensor; nil recipe for a 2017-encoded tensor whose BUILD has not come yet.
final class TensorBox {
    var recipe: TensorRecipe?
    let declaredType: StoredDType?
    init(recipe: TensorRecipe?, declaredType: StoredDType? = nil) {
        self.recipe = recipe
        self.declaredType = declaredType
    }
}
