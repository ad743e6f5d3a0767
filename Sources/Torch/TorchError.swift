import CTorchBridge

/// An error raised by libtorch or OpenCV, carrying their message without the C++ backtrace.
public struct TorchError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

@inline(__always)
func check(_ result: tb.TensorResult) throws -> Tensor {
    if result.failed { throw TorchError(String(result.error)) }
    return Tensor(handle: result.value)
}

@inline(__always)
func check(_ status: tb.Status) throws {
    if status.failed { throw TorchError(String(status.error)) }
}

@inline(__always)
func check(_ result: tb.DoubleResult) throws -> Double {
    if result.failed { throw TorchError(String(result.error)) }
    return result.value
}

@inline(__always)
func int64Vector(_ values: [Int]) -> tb.Int64Vector { tb.Int64Vector(values) }

@inline(__always)
func check(_ result: tb.TensorPairResult) throws -> (values: Tensor, indices: Tensor) {
    if result.failed { throw TorchError(String(result.error)) }
    return (Tensor(handle: result.first), Tensor(handle: result.second))
}

func tensorVector(_ tensors: [Tensor]) -> tb.TensorVector {
    var vector = tb.TensorVector()
    vector.reserve(tensors.count)
    for t in tensors { vector.push_back(t.handle) }
    return vector
}

@inline(__always)
func check(_ result: tb.Int32VectorResult) throws -> [Int32] {
    if result.failed { throw TorchError(String(result.error)) }
    return Array(result.value)
}

@inline(__always)
func check(_ result: tb.UInt8VectorResult) throws -> [UInt8] {
    if result.failed { throw TorchError(String(result.error)) }
    return Array(result.value)
}
