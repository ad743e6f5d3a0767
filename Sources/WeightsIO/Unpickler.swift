/// A restricted unpickler for the pickles inside weight files (protocols 0-5, binary opcodes).
/// Globals come only from `AllowedGlobal`; calls and BUILDs are interpreted by `TorchObjects`, never
/// executed. Every read is bounds-checked and nesting (see `PickleContainer`), stack and memo sizes are
/// limited, so garbage gives a one-line error.
struct Unpickler {
    static let maxStack = 1 << 20

    private var reader: ByteReader
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    /// The element type of every storage a persistent id named, by storage key.
    private var storageTypes: [String: StoredDType] = [:]

    /// Unpickles one object starting at `reader.position`; returns it, the offset after STOP and the
    /// element type of each storage it names (tensors or not).
    static func load(_ reader: ByteReader) throws
        -> (value: PickleValue, end: Int, storageTypes: [String: StoredDType]) {
        var unpickler = Unpickler(reader: reader)
        let value = try unpickler.run()
        return (value, unpickler.reader.position, unpickler.storageTypes)
    }

    private init(reader: ByteReader) { self.reader = reader }

    private func fail(_ what: String) -> WeightsError { reader.fail("pickle: \(what)") }

    private mutating func push(_ value: PickleValue) throws {
        guard stack.count < Unpickler.maxStack else { throw fail("stack too deep") }
        stack.append(value)
    }

    private mutating func pop() throws -> PickleValue {
        guard let value = stack.popLast(), stack.count >= (marks.last ?? 0) else {
            throw fail("stack underflow at offset \(reader.position)")
        }
        return value
    }

    private mutating func top() throws -> PickleValue {
        guard let value = stack.last, stack.count > (marks.last ?? 0) else {
            throw fail("stack underflow at offset \(reader.position)")
        }
        return value
    }

    /// The items pushed since the last MARK, which is removed.
    private mutating func popMark() throws -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else {
            throw fail("no MARK before offset \(reader.position)")
        }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func memoize(_ index: Int) throws {
        guard index >= 0, memo.count < Unpickler.maxStack else { throw fail("bad memo index \(index)") }
        memo[index] = try top()
    }

    private mutating func recall(_ index: Int) throws {
        guard let value = memo[index] else { throw fail("memo index \(index) was never stored") }
        try push(value)
    }

    private mutating func string(_ count: Int) throws -> String {
        let raw = try reader.take(count, what: "string")
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw fail("string is not valid UTF-8")
        }
        return text
    }

    private mutating func run() throws -> PickleValue {
        while true {
            let offset = reader.position
            let opcode = try reader.byte()
            switch opcode {
            case 0x80: _ = try reader.byte()                                   // PROTO
            case 0x95: _ = try reader.unsigned(8)                              // FRAME
            case 0x2e:                                                         // STOP
                let result = try pop()
                guard stack.isEmpty, marks.isEmpty else { throw fail("values left on the stack at STOP") }
                return result
            case 0x28: marks.append(stack.count)                               // MARK
            case 0x30: _ = try pop()                                           // POP
            case 0x31: _ = try popMark()                                       // POP_MARK
            case 0x32: try push(try top())                                     // DUP
            case 0x4e: try push(.none)                                         // NONE
            case 0x88: try push(.bool(true))                                   // NEWTRUE
            case 0x89: try push(.bool(false))                                  // NEWFALSE
            case 0x4a: try push(.int(Int(Int32(truncatingIfNeeded: try reader.unsigned(4)))))  // BININT
            case 0x4b: try push(.int(Int(try reader.byte())))                  // BININT1
            case 0x4d: try push(.int(Int(try reader.unsigned(2))))             // BININT2
            case 0x8a: try push(try long(try reader.length(1, what: "LONG1 size")))  // LONG1
            case 0x8b: try push(try long(try reader.length(4, what: "LONG4 size")))  // LONG4
            case 0x49, 0x4c: try push(try textInteger(try reader.line()))      // INT, LONG
            case 0x47:                                                         // BINFLOAT (big-endian)
                let raw = try reader.take(8)
                try push(.float(Double(bitPattern: raw.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
            case 0x46:                                                         // FLOAT
                let text = try reader.line()
                guard let value = Double(text) else { throw fail("bad FLOAT \(text)") }
                try push(.float(value))
            case 0x58:                                                         // BINUNICODE
                try push(.string(try string(try reader.length(4, what: "string size"))))
            case 0x8c: try push(.string(try string(Int(try reader.byte()))))   // SHORT_BINUNICODE
            case 0x8d:                                                         // BINUNICODE8
                try push(.string(try string(try reader.length(8, what: "string size"))))
            case 0x54:                                                         // BINSTRING (Python 2)
                try push(.string(try string(try reader.length(4, what: "string size"))))
            case 0x55: try push(.string(try string(Int(try reader.byte()))))   // SHORT_BINSTRING
            case 0x42:                                                         // BINBYTES
                try push(.bytes(Array(try reader.take(try reader.length(4, what: "bytes size")))))
            case 0x43: try push(.bytes(Array(try reader.take(Int(try reader.byte())))))  // SHORT_BINBYTES
            case 0x8e:                                                         // BINBYTES8
                try push(.bytes(Array(try reader.take(try reader.length(8, what: "bytes size")))))
            case 0x29: try push(.tuple(try PickleTuple([], fail: fail)))       // EMPTY_TUPLE
            case 0x74: try push(.tuple(try PickleTuple(try popMark(), fail: fail)))  // TUPLE
            case 0x85, 0x86, 0x87:                                             // TUPLE1-3
                var items: [PickleValue] = []
                for _ in 0..<Int(opcode - 0x84) { items.insert(try pop(), at: 0) }
                try push(.tuple(try PickleTuple(items, fail: fail)))
            case 0x5d: try push(.list(PickleList()))                           // EMPTY_LIST
            case 0x6c:                                                         // LIST
                let list = PickleList()
                try append(try popMark(), to: .list(list))
                try push(.list(list))
            case 0x61:                                                         // APPEND
                let item = try pop()
                try append([item], to: try top())
            case 0x65:                                                         // APPENDS
                let items = try popMark()
                try append(items, to: try top())
            case 0x7d: try push(.dict(PickleDict()))                           // EMPTY_DICT
            case 0x64:                                                         // DICT
                let dict = PickleDict()
                try setItems(try popMark(), in: .dict(dict))
                try push(.dict(dict))
            case 0x73:                                                         // SETITEM
                let value = try pop()
                let key = try pop()
                try setItems([key, value], in: try top())
            case 0x75:                                                         // SETITEMS
                let items = try popMark()
                try setItems(items, in: try top())
            case 0x71: try memoize(Int(try reader.byte()))                     // BINPUT
            case 0x72: try memoize(try reader.length(4, what: "memo index"))   // LONG_BINPUT
            case 0x70: try memoize(try textIndex(try reader.line()))           // PUT
            case 0x94: try memoize(memo.count)                                 // MEMOIZE
            case 0x68: try recall(Int(try reader.byte()))                      // BINGET
            case 0x6a: try recall(try reader.length(4, what: "memo index"))    // LONG_BINGET
            case 0x67: try recall(try textIndex(try reader.line()))            // GET
            case 0x63:                                                         // GLOBAL
                let module = try reader.line()
                try push(try global(module, try reader.line()))
            case 0x93:                                                         // STACK_GLOBAL
                guard case .string(let name) = try pop(), case .string(let module) = try pop() else {
                    throw fail("STACK_GLOBAL needs two strings")
                }
                try push(try global(module, name))
            case 0x52, 0x81:                                                   // REDUCE, NEWOBJ
                let args = try pop()
                let callable = try pop()
                guard case .global(let function) = callable, case .tuple(let tuple) = args else {
                    throw fail("call of a \(callable.typeName) at offset \(offset)")
                }
                try push(try TorchObjects.call(function, tuple.items, fail: fail))
            case 0x62:                                                         // BUILD
                let state = try pop()
                try TorchObjects.build(try top(), state: state, fail: fail)
            case 0x51:                                                         // BINPERSID
                let storage = try TorchObjects.persistentLoad(try pop(), fail: fail)
                if let known = storageTypes.updateValue(storage.dtype, forKey: storage.key),
                   known != storage.dtype {
                    throw fail("storage \(storage.key) is named as both \(known) and \(storage.dtype)")
                }
                try push(.storage(storage))
            default:
                throw fail("unsupported opcode 0x\(String(opcode, radix: 16)) at offset \(offset)")
            }
        }
    }

    private func global(_ module: String, _ name: String) throws -> PickleValue {
        guard let allowed = AllowedGlobal.resolve(module: module, name: name) else {
            throw fail("forbidden global \(module).\(name) (a weights file may only name state-dict types)")
        }
        return .global(allowed)
    }

    private mutating func long(_ count: Int) throws -> PickleValue {
        let raw = Array(try reader.take(count, what: "integer"))
        if raw.isEmpty { return .int(0) }
        guard raw.count <= 8 else { return .bigInt(raw) }
        var value: UInt64 = raw.last! >= 0x80 ? ~0 : 0  // sign-extend
        for byte in raw.reversed() { value = value << 8 | UInt64(byte) }
        return .int(Int(Int64(bitPattern: value)))
    }

    private func textInteger(_ text: String) throws -> PickleValue {
        if text == "01" { return .bool(true) }
        if text == "00" { return .bool(false) }
        let digits = text.hasSuffix("L") ? String(text.dropLast()) : text
        guard let value = Int(digits) else { throw fail("bad integer \(text.prefix(40))") }
        return .int(value)
    }

    private func textIndex(_ text: String) throws -> Int {
        guard let value = Int(text), value >= 0 else { throw fail("bad memo index \(text.prefix(40))") }
        return value
    }

    private func append(_ items: [PickleValue], to target: PickleValue) throws {
        guard case .list(let list) = target else { throw fail("APPEND to a \(target.typeName)") }
        for item in items { try list.append(item, fail: fail) }
    }

    private func setItems(_ items: [PickleValue], in target: PickleValue) throws {
        guard case .dict(let dict) = target else { throw fail("SETITEM on a \(target.typeName)") }
        guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd number of values") }
        for i in stride(from: 0, to: items.count, by: 2) { try dict.set(items[i], items[i + 1], fail: fail) }
    }
}
