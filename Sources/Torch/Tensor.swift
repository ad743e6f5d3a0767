import CTorchBridge

/// A libtorch tensor. Copying a `Tensor` shares the underlying tensor, as `at::Tensor` does.
public struct Tensor {
    let handle: tb.TensorHandle

    init(handle: tb.TensorHandle) { self.handle = handle }

    public init(_ values: [Float], shape: [Int]) throws {
        self = try values.withUnsafeBufferPointer { try Tensor(copying: $0, shape: shape) }
    }

    /// A float32 tensor holding a copy of the buffer (e.g. a batch a loader filled in place).
    public init(copying buffer: UnsafeBufferPointer<Float>, shape: [Int]) throws {
        self = try check(tb.fromFloat32(buffer.baseAddress, Int64(buffer.count), int64Vector(shape)))
    }

    public init(_ values: [Double], shape: [Int]) throws {
        self = try values.withUnsafeBufferPointer {
            try check(tb.fromFloat64($0.baseAddress, Int64($0.count), int64Vector(shape)))
        }
    }

    /// An int64 tensor.
    public init(_ values: [Int], shape: [Int]) throws {
        self = try values.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: Int64.self) {
                try check(tb.fromInt64($0.baseAddress, Int64($0.count), int64Vector(shape)))
            }
        }
    }

    public init(_ values: [UInt8], shape: [Int]) throws {
        self = try values.withUnsafeBufferPointer {
            try check(tb.fromUInt8($0.baseAddress, Int64($0.count), int64Vector(shape)))
        }
    }

    /// A 0-dimensional float32 tensor.
    public init(scalar: Float) {
        // A one-element buffer always matches the empty shape, so this cannot fail.
        self = try! Tensor([scalar], shape: [])
    }

    public var shape: [Int] { Array(tb.shapeOf(handle)) }
    public var dim: Int { shape.count }
    public var numel: Int { Int(tb.numelOf(handle)) }
    public var dtype: DType { DType(tb.dtypeOf(handle)) }
    /// "cpu" or "cuda:N".
    public var device: String { String(tb.deviceOf(handle)) }

    public func to(_ dtype: DType) throws -> Tensor { try check(tb.toDType(handle, dtype.bridged)) }

    /// Moves to "cpu", "cuda" or "cuda:N".
    public func to(device: String) throws -> Tensor { try check(tb.toDevice(handle, std.string(device))) }

    /// The value of a one-element tensor.
    public func item() throws -> Double { try check(tb.item(handle)) }

    public func floats() throws -> [Float] {
        try copyOut(Float.self) { tb.copyToFloat32(handle, $0, Int64($1)) }
    }

    public func doubles() throws -> [Double] {
        try copyOut(Double.self) { tb.copyToFloat64(handle, $0, Int64($1)) }
    }

    public func ints() throws -> [Int] {
        try copyOut(Int64.self) { tb.copyToInt64(handle, $0, Int64($1)) }.map { Int($0) }
    }

    public func bytes() throws -> [UInt8] {
        try copyOut(UInt8.self) { tb.copyToUInt8(handle, $0, Int64($1)) }
    }

    private func copyOut<T>(_: T.Type, _ copy: (UnsafeMutablePointer<T>?, Int) -> tb.Status) throws -> [T] {
        let count = numel
        var status = tb.Status()
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = copy(buffer.baseAddress, count)
            initialized = status.failed ? 0 : count
        }
        try check(status)
        return values
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor(shape: \(shape), dtype: \(dtype), device: \(device))" }
}
