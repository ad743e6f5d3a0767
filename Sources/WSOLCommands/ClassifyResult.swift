import Foundation

/// One image's classification as `wsol classify --json` prints it: `image`, `top` ({index,
/// probability}, best first) and every logit. A value that is not a finite number is null, so NaN
/// weights cost one image's numbers, never the whole output.
struct ClassifyResult: Encodable {
    struct Top: Encodable {
        let index: Int
        let probability: Double?

        enum CodingKeys: String, CodingKey { case index, probability }

        /// null, not an absent key, when the probability is not a number.
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(probability, forKey: .probability)
        }
    }

    let image: String
    let top: [Top]
    let logits: [Double?]

    /// Softmax over `logits` (shifted by the largest, as torch.softmax), the `topk` most probable.
    init(image: String, logits: [Float], topk: Int) {
        let maxLogit = logits.filter(\.isFinite).max() ?? 0
        let exps = logits.map { Foundation.exp(Double($0 - maxLogit)) }
        let total = exps.reduce(0, +)
        // NaN compares false both ways; sort those last so the ranking stays a strict order.
        let ranked = exps.indices.sorted { a, b in
            exps[a].isNaN != exps[b].isNaN ? !exps[a].isNaN : exps[a] > exps[b]
        }.prefix(topk)
        self.image = image
        top = ranked.map { Top(index: $0, probability: Self.finite(exps[$0] / total)) }
        self.logits = logits.map { Self.finite(Double($0)) }
    }

    private static func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }

    /// The results as one JSON array on one line.
    static func json(_ results: [ClassifyResult]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(results), as: UTF8.self)
    }
}
