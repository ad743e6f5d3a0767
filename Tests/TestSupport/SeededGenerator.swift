import Datasets

/// The project's SeededRandom (SplitMix64) as a RandomNumberGenerator, so that tests can draw with
/// Swift's `random(in:using:)` and get the same inputs on every run. (SeededRandom itself does not
/// conform: the product's randomness must not depend on how Swift consumes a generator.)
public struct SeededGenerator: RandomNumberGenerator {
    private var source: SeededRandom
    public init(seed: UInt64) { source = SeededRandom(seed: seed) }
    public mutating func next() -> UInt64 { source.next() }
}
