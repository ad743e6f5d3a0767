import Models
import RunStore
import Testing
import Training
import WSOL

/// `wsol train`'s defaults and resume rules, in-process: a typed request resolved into the options a
/// run records, and compared with a run's.
struct TrainRequestTests {
    static func request(_ task: TrainOptions.Task) -> TrainRequest {
        var r = TrainRequest()
        r.architecture = .resnet18
        r.task = task
        return r
    }

    static func resolve(_ r: TrainRequest) throws -> TrainOptions {
        try r.resolve(arch: r.architecture!, task: r.task!, family: .cubLike, numClasses: 4)
    }

    @Test func sfpnscTakesTheRevivedRecipeAndBasThePapers() throws {
        let sfpnsc = try Self.resolve(Self.request(.sfpnsc))
        #expect(sfpnsc.recipe == .revived && sfpnsc.warmup == Recipe.revived.warmupEpochs)
        #expect(sfpnsc.method?.map == .fused && sfpnsc.epochs == 100 && sfpnsc.decayEpochs == [80])
        let bas = try Self.resolve(Self.request(.bas))
        #expect(bas.recipe == nil && bas.warmup == 0 && bas.method?.map == .deep)
        var paper = Self.request(.sfpnsc)
        paper.preset = "paper"
        let literal = try Self.resolve(paper)
        #expect(literal.recipe == nil && literal.valPerClass == 0 && literal.select == .last)
        let classify = try Self.resolve(Self.request(.classify))
        #expect(classify.schedule == .cosine && classify.epochs == TrainRequest.classifyEpochs)
        #expect(classify.method == nil && classify.spec == nil)
    }

    @Test func whatWouldNotActIsRefused() throws {
        var noWarmUp = Self.request(.sfpnsc)
        noWarmUp.warmupEpochs = 0
        #expect {
            _ = try Self.resolve(noWarmUp)
        } throws: { error in
            (error as? TrainingError).map { $0.exitCode == 2 && $0.message.contains("default recipe (revived)") }
                ?? false
        }
        var cosine = Self.request(.classify)
        cosine.decayEpochs = [3]
        #expect(throws: TrainingError.self) { _ = try Self.resolve(cosine) }
    }

    @Test func aResumeNamesTheFirstTypedOptionThatDiffers() throws {
        let run = try Self.resolve(Self.request(.bas))
        var same = TrainRequest()
        same.lr = run.lr
        same.seed = run.seed
        #expect(try same.conflict(withRun: run) == nil)
        var other = TrainRequest()
        other.lr = 5
        #expect(try other.conflict(withRun: run) == "--lr 5.0 differs from the run's 0.001")
    }
}
