import Models
import RunStore
import Torch
import WSOL

/// METHOD.md section 3's recipe, and the classify recipe found by the training study
/// (docs/RESULTS.md), as the defaults of `wsol train`.
extension TrainRequest {
    public static let classifyEpochs = 24
    public static let classifyLR = 0.05

    /// The options a new run records: what was typed, the defaults for the rest. `arch` and `task` are
    /// the request's, required for a new run.
    public func resolve(arch: Architecture, task: TrainOptions.Task, family: DatasetFamily,
                        numClasses: Int) throws -> TrainOptions {
        let classify = task == .classify
        let paper = preset == "paper"
        try refuseInapplicable(classify: classify, paper: paper)
        let recipe = self.recipe ?? Self.defaultRecipe(task: task, paper: paper)
        if self.recipe == .revived && task != .bas && task != .sfpnsc {
            throw TrainingError("--recipe revived applies to bas and sfpnsc, not \(task.rawValue)",
                                exitCode: 2)
        }
        let epochs = self.epochs ?? (classify ? Self.classifyEpochs : family == .ilsvrc ? 9 : 100)
        let decay = decayEpochs ?? (family == .ilsvrc ? [3, 6] : [80])
        var options = TrainOptions(
            task: task, architecture: arch, epochs: epochs, batchSize: batchSize ?? 32,
            lr: lr ?? (classify ? Self.classifyLR : 0.001),
            schedule: schedule ?? (classify ? .cosine : .step),
            decayEpochs: decay, imageSize: imageSize ?? 224, workers: workers,
            threads: TorchRuntime.numThreads, device: device, seed: seed ?? 0,
            valPerClass: paper ? 0 : (valPerClass ?? 5), select: paper ? .last : (select ?? .best),
            logEvery: logEvery, dataset: family)
        options.preset = preset
        options.recipe = self.recipe ?? (recipe == .revived ? recipe : nil)
        if let warmup = warmupEpochs ?? recipe.warmupEpochs {
            guard !classify else {
                throw TrainingError("--warmup-epochs applies to cam, bas and sfpnsc, not classify",
                                    exitCode: 2)
            }
            options.warmupEpochs = warmup
        }
        if let scale = generatorLRScale ?? recipe.generatorLRScale {
            guard task == .bas || task == .sfpnsc else {
                throw TrainingError("--generator-lr-scale applies to bas and sfpnsc (G1, G2), "
                                    + "not \(task.rawValue)",
                                    exitCode: 2)
            }
            options.generatorLRScale = scale
        }
        try ModelSpec.validateImageSize(options.imageSize)
        if !classify {
            let method = WSOL.Method(rawValue: task.rawValue)!
            let spec = ModelSpec(architecture: arch, numClasses: numClasses, headWidth: headWidth ?? 1024,
                                 f1Tap: f1Tap, transformInput: transformInput,
                                 imageSize: options.imageSize)
            try spec.validate()
            options.spec = spec
            let base = recipe.apply(to: MethodOptions(method: method, architecture: arch, dataset: family))
            options.method = try methodOptions(method, arch, family, base)
            if options.method?.seedsMasks == true && options.warmup == 0 {
                let seeding = self.recipe == nil
                    ? "\(task.rawValue)'s default recipe (revived)" : "--recipe revived"
                throw TrainingError(maskSeedGiven
                    ? "--mask-seed acts during the warm-up: give --warmup-epochs N too"
                    : seeding + " seeds the masks during its warm-up: with --warmup-epochs 0 give "
                        + "--mask-seed 0 too, or --recipe paper", exitCode: 2)
            }
        }
        return options
    }

    /// The recipe when `--recipe` is not typed: sfpnsc's is the mask study's, under which it beats bas
    /// and cam on all 5 seeds (docs/RESULTS.md section 4, "The mask with the classifier's own
    /// evidence"); bas keeps BAS's (it is the baseline the tool checks against BAS-Ext), and `--preset
    /// paper` the paper's for every method.
    public static func defaultRecipe(task: TrainOptions.Task, paper: Bool) -> Recipe {
        task == .sfpnsc && !paper ? .revived : .paper
    }

    /// Options that would be recorded but not act: refused, one line each.
    func refuseInapplicable(classify: Bool, paper: Bool) throws {
        func refuse(_ why: String) -> TrainingError { TrainingError(why, exitCode: 2) }
        if classify, let first = givenMaskOptions.first {
            throw refuse("--method classify: \(first) does not apply (a plain classifier has no mask loss)")
        }
        let schedule = self.schedule ?? (classify ? .cosine : .step)
        if schedule == .cosine && decayEpochs != nil {
            throw refuse("--decay-epochs applies to the step schedule, not cosine (the default for classify)")
        }
        if paper, let select = self.select, select != .last {
            throw refuse("--preset paper keeps the last epoch: --select \(select.rawValue) does not apply")
        }
        if paper, let held = valPerClass, held != 0 {
            throw refuse("--preset paper trains on every training image: "
                + "--val-per-class \(held) does not apply")
        }
    }

    /// The first option typed with `--resume` that disagrees with the run's recorded value, described
    /// ("--lr 5 differs from the run's 0.005"); nil when every typed option agrees. `--epochs` may
    /// extend a run, and the runtime options (threads, workers, device, logging, batch size across
    /// process counts) are the resumer's to choose.
    public func conflict(withRun run: TrainOptions) throws -> String? {
        func differs<T: Equatable>(_ name: String, _ typed: T?, _ recorded: T?,
                                   _ shown: (T) -> String) -> String? {
            guard let typed, typed != recorded else { return nil }
            return "--\(name) \(shown(typed)) differs from the run's \(recorded.map(shown) ?? "default")"
        }
        let checks: [String?] = [
            differs("arch", architecture, run.architecture) { $0.rawValue },
            differs("method", task, run.task) { $0.rawValue },
            differs("lr", lr, run.lr) { "\($0)" },
            differs("schedule", schedule, run.schedule) { $0.rawValue },
            differs("decay-epochs", decayEpochs, run.decayEpochs) {
                $0.map(String.init).joined(separator: ",")
            },
            differs("warmup-epochs", warmupEpochs, run.warmup) { "\($0)" },
            differs("generator-lr-scale", generatorLRScale, run.generatorLRScale ?? 1) { "\($0)" },
            differs("image-size", imageSize, run.imageSize) { "\($0)" },
            differs("head-width", headWidth, run.spec?.headWidth) { "\($0)" },
            run.spec?.f1Tap == nil ? nil : differs("f1-tap", f1Tap, run.spec?.f1Tap) { $0 },
            differs("seed", seed, run.seed) { "\($0)" },
            differs("val-per-class", valPerClass, run.valPerClass) { "\($0)" },
            differs("select", select, run.select) { $0.rawValue },
            differs("preset", preset, run.preset) { $0 },
            differs("recipe", self.recipe, run.recipe ?? .paper) { $0.rawValue },
        ]
        if let first = checks.compactMap({ $0 }).first { return first }
        let given = givenMaskOptions
        if let recorded = run.method, !given.isEmpty {
            let typed = try methodOptions(recorded.method, run.architecture, run.dataset, recorded)
            if typed != recorded {
                return "the mask-loss options (\(given.joined(separator: " "))) differ from the run's"
            }
        }
        if run.method == nil, let first = given.first { return "\(first) does not apply to a classify run" }
        return nil
    }
}
