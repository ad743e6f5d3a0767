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

    /// The tuple, list or dict this value is, if any.
    var container: PickleContainer? {
        switch self {
        case .tuple(let t): return t
        case .list(let l): return l
        case .dict(let d): return d
        default: return nil
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

typealias PickleFail = (String) -> WeightsError

/// A tuple, list or dict. Lists and dicts (and tuples holding them) can change after they were put
/// somewhere, so they form a tree: each sits in at most one container, never inside itself. Along the
/// one parent chain each container's height stays exact, so nesting is really bounded by `maxDepth`:
/// no cycle can leak and freeing never recurses deeper. Tuples of plain values never change and may be
/// shared (pickles share them through the memo). A state dict needs nothing else.
class PickleContainer {
    static let maxDepth = 64

    /// The container holding this one; weak, so that a dropped container frees its child's place.
    private(set) weak var parent: PickleContainer?
    /// Containers on the longest path down from here, this one included.
    private(set) var height = 1
    /// A tuple whose items are plain values or such tuples.
    let isImmutable: Bool

    init(isImmutable: Bool) { self.isImmutable = isImmutable }

    /// Records that `child` now sits in this container, refusing a cycle, a changeable container
    /// already held elsewhere, and nesting deeper than `maxDepth`.
    fileprivate func adopt(_ child: PickleValue, fail: PickleFail) throws {
        guard let node = child.container else { return }
        var level = 0  // containers from the root down to this one; below maxDepth by induction
        var ancestor: PickleContainer? = self
        while let above = ancestor {
            if above === node { throw fail("a \(child.typeName) inside itself (a cycle)") }
            level += 1
            ancestor = above.parent
        }
        guard level + node.height <= Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
        if !node.isImmutable {
            guard node.parent == nil else { throw fail("a \(child.typeName) held by two containers") }
            node.parent = self
        }
        var height = node.height + 1
        var up: PickleContainer? = self
        while let above = up, above.height < height {
            above.height = height
            height += 1
            up = above.parent
        }
    }

    /// Frees the place of a child this container no longer holds.
    fileprivate func release(_ child: PickleValue) {
        if let node = child.container, node.parent === self { node.parent = nil }
    }
}

final class PickleTuple: PickleContainer {
    let items: [PickleValue]

    init(_ items: [PickleValue], fail: PickleFail) throws {
        self.items = items
        super.init(isImmutable: items.allSatisfy { $0.container?.isImmutable ?? true })
        for item in items { try adopt(item, fail: fail) }
    }
}

final class PickleList: PickleContainer {
    private(set) var items: [PickleValue] = []

    init() { super.init(isImmutable: false) }

    func append(_ item: PickleValue, fail: PickleFail) throws {
        try adopt(item, fail: fail)
        items.append(item)
    }
}

/// A dict or OrderedDict: insertion order kept, a repeated string key replaces its value.
final class PickleDict: PickleContainer {
    private(set) var entries: [(key: PickleValue, value: PickleValue)] = []
    private var stringIndex: [String: Int] = [:]

    init() { super.init(isImmutable: false) }

    func set(_ key: PickleValue, _ value: PickleValue, fail: PickleFail) throws {
        if case .string(let name) = key, let i = stringIndex[name] {
            release(entries[i].value)
            try adopt(value, fail: fail)
            entries[i].value = value
            return
        }
        try adopt(key, fail: fail)
        try adopt(value, fail: fail)
        if case .string(let name) = key { stringIndex[name] = entries.count }
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
