import CTorchBridge

/// Element types that cross the bridge.
public enum DType: Int32, CaseIterable, Sendable {
    case float32 = 0, float64 = 1, int64 = 2, int32 = 3, uint8 = 4, bool = 5

    var bridged: tb.DType { tb.DType(rawValue: rawValue)! }

    init(_ bridged: tb.DType) { self = DType(rawValue: bridged.rawValue) ?? .float32 }
}
