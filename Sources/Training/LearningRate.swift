import Foundation
import RunStore

/// The learning rate at a step (METHOD.md section 3): x0.1 at each decay epoch, or a cosine decay to 0.
public struct LearningRate: Sendable {
    public let base: Double
    public let schedule: TrainOptions.Schedule
    public let decayEpochs: [Int]
    public let totalSteps: Int
    public let stepsPerEpoch: Int

    public init(_ options: TrainOptions, stepsPerEpoch: Int) {
        base = options.lr
        schedule = options.schedule
        decayEpochs = options.decayEpochs
        self.stepsPerEpoch = max(1, stepsPerEpoch)
        totalSteps = max(1, options.epochs * self.stepsPerEpoch)
    }

    /// `step` counts from 0 over the whole run.
    public func at(step: Int) -> Double {
        switch schedule {
        case .step:
            let epoch = step / stepsPerEpoch
            return base * pow(0.1, Double(decayEpochs.filter { epoch >= $0 }.count))
        case .cosine:
            return base * 0.5 * (1 + cos(Double.pi * Double(min(step, totalSteps)) / Double(totalSteps)))
        }
    }
}
