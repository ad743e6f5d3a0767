import Foundation
import Models
import Torch
import Training
import WSOL

/// METHOD.md section 3's recipe, and the classify recipe found by the training study
/// (docs/RESULTS.md), as the defaults of `wsol train`.
enum TrainDefaults {
    static let classifyEpochs = 24
    static let classifyLR = 0.05

    static func resolve(_ c: TrainCommand, arch: Architecture, task: TrainOptions.Task, family: DatasetFamily,
                        numClasses: Int) throws -> TrainOptions {
        let classify = task == .classify
        let paper = c.preset == "paper"
        try refuseInapplicable(c, classify: classify, paper: paper)
        let epochs = c.epochs ?? (classify ? classifyEpochs : family == .ilsvrc ? 9 : 100)
        let decay = try c.decayEpochs.map(parseEpochs) ?? (family == .ilsvrc ? [3, 6] : [80])
        var options = TrainOptions(
            task: task, architecture: arch, epochs: epochs, batchSize: c.batchSize ?? 32,
            lr: c.lr ?? (classify ? classifyLR : 0.001), schedule: c.schedule ?? (classify ? .cosine : .step),
            decayEpochs: decay, imageSize: c.imageSize ?? 224, workers: c.workers,
            threads: TorchRuntime.numThreads, device: c.device, seed: c.seed,
            valPerClass: paper ? 0 : (c.valPerClass ?? 5), select: paper ? .last : (c.select ?? .best),
            logEvery: c.logEvery, dataset: family)
        options.preset = c.preset
        if let warmup = c.warmupEpochs {
            guard !classify else {
                throw CommandFailure("--warmup-epochs applies to cam, bas and sfpnsc, not classify", exitCode: 2)
            }
            options.warmupEpochs = warmup
        }
        if let scale = c.generatorLrScale {
            guard task == .bas || task == .sfpnsc else {
                throw CommandFailure("--generator-lr-scale applies to bas and sfpnsc (G1, G2), not \(task.rawValue)",
                                     exitCode: 2)
            }
            options.generatorLRScale = scale
        }
        guard options.imageSize % 32 == 0, (32...1024).contains(options.imageSize) else {
            throw CommandFailure("--image-size must be a multiple of 32 from 32 to 1024", exitCode: 2)
        }
        if !classify {
            let method = WSOL.Method(rawValue: task.rawValue)!
            let spec = ModelSpec(architecture: arch, numClasses: numClasses, headWidth: c.headWidth ?? 1024,
                                 f1Tap: c.f1Tap, transformInput: c.transformInput, imageSize: options.imageSize)
            try spec.validate()
            options.spec = spec
            options.method = try c.methodOptions.options(method: method, architecture: arch, dataset: family)
            if options.method?.seedsMasks == true && options.warmup == 0 {
                throw CommandFailure("--mask-seed acts during the warm-up: give --warmup-epochs N too", exitCode: 2)
            }
        }
        return options
    }

    /// Options that would be recorded but not act: refused, one line each.
    static func refuseInapplicable(_ c: TrainCommand, classify: Bool, paper: Bool) throws {
        func refuse(_ why: String) -> CommandFailure { CommandFailure(why, exitCode: 2) }
        if classify, let first = c.methodOptions.givenMaskOptions.first {
            throw refuse("--method classify: \(first) does not apply (a plain classifier has no mask loss)")
        }
        let schedule = c.schedule ?? (classify ? .cosine : .step)
        if schedule == .cosine && c.decayEpochs != nil {
            throw refuse("--decay-epochs applies to the step schedule, not cosine (the default for classify)")
        }
        if paper, let select = c.select, select != .last {
            throw refuse("--preset paper keeps the last epoch: --select \(select.rawValue) does not apply")
        }
        if paper, let held = c.valPerClass, held != 0 {
            throw refuse("--preset paper trains on every training image: --val-per-class \(held) does not apply")
        }
    }

    /// "80" or "3,6": increasing epochs within 1...10000.
    static func parseEpochs(_ text: String) throws -> [Int] {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && (1...10_000).contains($0!) }),
              zip(values, values.dropFirst()).allSatisfy({ $0! < $1! }) else {
            throw CommandFailure("--decay-epochs must be increasing epochs such as 80 or 3,6; got \(text)", exitCode: 2)
        }
        return values.map { $0! }
    }
}
