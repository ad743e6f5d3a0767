import Torch

/// Named loss terms in a fixed order, each a scalar tensor already weighted as it enters the total.
/// Logs show every term; the trainer stops on the first non-finite one, by name.
public struct LossTerms {
    public private(set) var terms: [(name: String, value: Tensor)] = []

    public init() {}

    public mutating func add(_ name: String, _ value: Tensor) { terms.append((name, value)) }

    mutating func add(_ other: LossTerms) { terms += other.terms }

    /// The sum of every term.
    public func total() throws -> Tensor {
        guard var sum = terms.first?.value else { throw WSOLError("no loss terms") }
        for term in terms.dropFirst() { sum = try sum + term.value }
        return sum
    }

    public subscript(name: String) -> Tensor? { terms.first { $0.name == name }?.value }
}
