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

// Bridge vectors are copied out in one block: Array(vector) copies element by element, which at a
// fine score-maps interval (thousands of contours a map) cost a tenth of the contour search.
@inline(__always)
func check(_ result: tb.Int32VectorResult) throws -> [Int32] {
    if result.failed { throw TorchError(String(result.error)) }
    var vector = result.value
    return withUnsafeMutablePointer(to: &vector) {
        Array(UnsafeBufferPointer(start: $0.pointee.__dataUnsafe(), count: $0.pointee.size()))
    }
}

@inline(__always)
func check(_ result: tb.UInt8VectorResult) throws -> [UInt8] {
    if result.failed { throw TorchError(String(result.error)) }
    var vector = result.value
    return withUnsafeMutablePointer(to: &vector) {
        Array(UnsafeBufferPointer(start: $0.pointee.__dataUnsafe(), count: $0.pointee.size()))
    }
}
