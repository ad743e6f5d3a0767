/// A deterministic generator with a stable algorithm (SplitMix64), so the same seed gives the same
/// shuffles, crops and synthetic images on every machine and Swift version; Swift's own
/// `random(in:using:)` makes no such promise about how it consumes a generator.
public struct SeededRandom {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one (seed, stream...) tuple, e.g. (seed, epoch, sample index): independent of
    /// the order in which threads ask for them.
    public init(seed: UInt64, _ streams: Int...) {
        var s = SeededRandom(seed: seed)
        var mixed = s.next()
        for value in streams {
            s = SeededRandom(seed: mixed ^ UInt64(bitPattern: Int64(value)) &* 0x9E37_79B9_7F4A_7C15)
            mixed = s.next()
        }
        state = mixed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (bound > 0), without modulo bias.
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let v = next()
            if v < limit { return Int(v % b) }
        }
    }

    /// Uniform in lower...upper.
    public mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + int(below: range.count) }

    /// Uniform in [0, 1) with 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * unit()
    }

    public mutating func bool() -> Bool { next() >> 63 == 1 }

    /// Fisher-Yates, drawing with this generator.
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, int(below: i + 1))
        }
    }
}
