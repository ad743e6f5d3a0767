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
        let recipe = c.recipe ?? defaultRecipe(task: task, paper: paper)
        if c.recipe == .revived && task != .bas && task != .sfpnsc {
            throw CommandFailure("--recipe revived applies to bas and sfpnsc, not \(task.rawValue)",
                                 exitCode: 2)
        }
        let epochs = c.epochs ?? (classify ? classifyEpochs : family == .ilsvrc ? 9 : 100)
        let decay = try c.decayEpochs.map(parseEpochs) ?? (family == .ilsvrc ? [3, 6] : [80])
        var options = TrainOptions(
            task: task, architecture: arch, epochs: epochs, batchSize: c.batchSize ?? 32,
            lr: c.lr ?? (classify ? classifyLR : 0.001), schedule: c.schedule ?? (classify ? .cosine : .step),
            decayEpochs: decay, imageSize: c.imageSize ?? 224, workers: c.workers,
            threads: TorchRuntime.numThreads, device: c.device, seed: c.seed ?? 0,
            valPerClass: paper ? 0 : (c.valPerClass ?? 5), select: paper ? .last : (c.select ?? .best),
            logEvery: c.logEvery, dataset: family)
        options.preset = c.preset
        options.recipe = c.recipe ?? (recipe == .revived ? recipe : nil)
        if let warmup = c.warmupEpochs ?? recipe.warmupEpochs {
            guard !classify else {
                throw CommandFailure("--warmup-epochs applies to cam, bas and sfpnsc, not classify",
                                     exitCode: 2)
            }
            options.warmupEpochs = warmup
        }
        if let scale = c.generatorLrScale ?? recipe.generatorLRScale {
            guard task == .bas || task == .sfpnsc else {
                throw CommandFailure("--generator-lr-scale applies to bas and sfpnsc (G1, G2), "
                                     + "not \(task.rawValue)",
                                     exitCode: 2)
            }
            options.generatorLRScale = scale
        }
        try ModelSpec.validateImageSize(options.imageSize)
        if !classify {
            let method = WSOL.Method(rawValue: task.rawValue)!
            let spec = ModelSpec(architecture: arch, numClasses: numClasses, headWidth: c.headWidth ?? 1024,
                                 f1Tap: c.f1Tap, transformInput: c.transformInput,
                                 imageSize: options.imageSize)
            try spec.validate()
            options.spec = spec
            let base = recipe.apply(to: MethodOptions(method: method, architecture: arch, dataset: family))
            options.method = try c.methodOptions.options(method: method, architecture: arch, dataset: family,
                                                         base: base)
            if options.method?.seedsMasks == true && options.warmup == 0 {
                throw CommandFailure(c.methodOptions.maskSeed != nil
                    ? "--mask-seed acts during the warm-up: give --warmup-epochs N too"
                    : (c.recipe == nil ? "\(task.rawValue)'s default recipe (revived)" : "--recipe revived")
                        + " seeds the masks during its warm-up: with --warmup-epochs 0 give --mask-seed 0 "
                        + "too, or --recipe paper", exitCode: 2)
            }
        }
        return options
    }

    /// The recipe when `--recipe` is not typed: sfpnsc's is the mask study's, under which it beats bas
    /// and cam on all 5 seeds (docs/RESULTS.md section 4, "The mask with the classifier's own
    /// evidence"); bas keeps BAS's (it is the baseline the tool checks against BAS-Ext), and `--preset
    /// paper` the paper's for every method.
    static func defaultRecipe(task: TrainOptions.Task, paper: Bool) -> Recipe {
        task == .sfpnsc && !paper ? .revived : .paper
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
            throw refuse("--preset paper trains on every training image: "
                + "--val-per-class \(held) does not apply")
        }
    }

    /// The first option typed with `--resume` that disagrees with the run's recorded value, described
    /// ("--lr 5 differs from the run's 0.005"); nil when every typed option agrees. `--epochs` may
    /// extend a run, and the runtime options (threads, workers, device, logging, batch size across
    /// process counts) are the resumer's to choose.
    static func conflict(_ c: TrainCommand, withRun run: TrainOptions) throws -> String? {
        func differs<T: Equatable>(_ name: String, _ typed: T?, _ recorded: T?,
                                   _ shown: (T) -> String) -> String? {
            guard let typed, typed != recorded else { return nil }
            return "--\(name) \(shown(typed)) differs from the run's \(recorded.map(shown) ?? "default")"
        }
        let checks: [String?] = [
            differs("arch", c.arch, run.architecture) { $0.rawValue },
            differs("method", c.method, run.task) { $0.rawValue },
            differs("lr", c.lr, run.lr) { "\($0)" },
            differs("schedule", c.schedule, run.schedule) { $0.rawValue },
            differs("decay-epochs", try c.decayEpochs.map(parseEpochs), run.decayEpochs) {
                $0.map(String.init).joined(separator: ",")
            },
            differs("warmup-epochs", c.warmupEpochs, run.warmup) { "\($0)" },
            differs("generator-lr-scale", c.generatorLrScale, run.generatorLRScale ?? 1) { "\($0)" },
            differs("image-size", c.imageSize, run.imageSize) { "\($0)" },
            differs("head-width", c.headWidth, run.spec?.headWidth) { "\($0)" },
            run.spec?.f1Tap == nil ? nil : differs("f1-tap", c.f1Tap, run.spec?.f1Tap) { $0 },
            differs("seed", c.seed, run.seed) { "\($0)" },
            differs("val-per-class", c.valPerClass, run.valPerClass) { "\($0)" },
            differs("select", c.select, run.select) { $0.rawValue },
            differs("preset", c.preset, run.preset) { $0 },
            differs("recipe", c.recipe, run.recipe ?? .paper) { $0.rawValue },
        ]
        if let first = checks.compactMap({ $0 }).first { return first }
        let given = c.methodOptions.givenMaskOptions
        if let recorded = run.method, !given.isEmpty {
            let typed = try c.methodOptions.options(method: recorded.method, architecture: run.architecture,
                                                    dataset: run.dataset, base: recorded)
            if typed != recorded {
                return "the mask-loss options (\(given.joined(separator: " "))) differ from the run's"
            }
        }
        if run.method == nil, let first = given.first { return "\(first) does not apply to a classify run" }
        return nil
    }

    /// "80" or "3,6": increasing epochs within 1...10000.
    static func parseEpochs(_ text: String) throws -> [Int] {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && (1...10_000).contains($0!) }),
              zip(values, values.dropFirst()).allSatisfy({ $0! < $1! }) else {
            throw CommandFailure("--decay-epochs must be increasing epochs such as 80 or 3,6; got \(text)",
                                 exitCode: 2)
        }
        return values.map { $0! }
    }
}
