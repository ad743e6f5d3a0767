import Models
import NN
import Testing
import Torch
@testable import WSOL

/// Map sizes (METHOD.md section 1), the method options' refusals, and what each method builds.
@Suite(.serialized) struct ModelStructureTests {
    /// (architecture, input, F1, F2 = Mf2, F3)
    static let shapes: [(Architecture, Int, Int, Int, Int)] = [
        (.vgg16, 224, 56, 28, 14), (.resnet18, 224, 56, 28, 14), (.resnet50, 224, 56, 28, 14),
        (.inception_v3, 224, 54, 28, 14),
        (.vgg16, 128, 32, 16, 8), (.resnet18, 128, 32, 16, 8), (.resnet50, 128, 32, 16, 8),
        (.inception_v3, 128, 30, 16, 8),
    ]

    @Test(arguments: shapes) func mapSizes(_ arch: Architecture, _ size: Int, _ f1: Int, _ f2: Int, _ f3: Int) throws {
        let model = try WSOLModel(ModelSpec(architecture: arch, numClasses: 3, headWidth: 4, imageSize: size),
                                  MethodOptions(method: .sfpnsc, architecture: arch))
        model.eval()
        let out = try withNoGrad { try model(Tensor.zeros([1, 3, size, size]), selection: .top1, background: false) }
        #expect(out.f3.shape == [1, 3, f3, f3])
        #expect(out.scores.shape == [1, 3])
        #expect(try #require(out.mf1).shape == [1, 1, f1, f1])
        #expect(try #require(out.mf2).shape == [1, 1, f2, f2])
        #expect(try #require(out.shallowMaps).shape == [1, 3, f1, f1])
    }

    @Test func layersEachMethodBuilds() throws {
        func keys(_ method: WSOL.Method, _ adjust: (inout MethodOptions) -> Void = { _ in }) throws -> Set<String> {
            var options = MethodOptions(method: method, architecture: .resnet18)
            adjust(&options)
            let model = try WSOLModel(ModelSpec(architecture: .resnet18, numClasses: 2, headWidth: 4), options)
            return Set(model.stateDict().map(\.name).filter { $0.hasPrefix("classifier") })
        }
        let head: Set = ["classifier_cls.0.weight", "classifier_cls.0.bias", "classifier_cls.2.weight",
                         "classifier_cls.2.bias", "classifier_cls.4.weight", "classifier_cls.4.bias"]
        let g2: Set = ["classifier_loc.0.weight", "classifier_loc.0.bias"]
        let g1: Set = ["classifier_loc_shallow.0.weight", "classifier_loc_shallow.0.bias"]
        #expect(try keys(.cam) == head)
        #expect(try keys(.bas) == head.union(g2))
        #expect(try keys(.sfpnsc) == head.union(g2).union(g1))
        #expect(try keys(.sfpnsc) { $0.softFusion = false } == head.union(g2))
    }

    @Test func refusedCombinations() throws {
        func refusal(_ method: WSOL.Method, _ adjust: (inout MethodOptions) -> Void) -> String? {
            var options = MethodOptions(method: method, architecture: .resnet18)
            adjust(&options)
            do { try options.validate(); return nil } catch { return "\(error)" }
        }
        #expect(refusal(.sfpnsc) { $0.wPNSC = 0 }?.contains("soft fusion alone") == true)
        #expect(refusal(.cam) { $0.map = .shallow }?.contains("no shallow map") == true)
        #expect(refusal(.bas) { $0.map = .mean }?.contains("needs the shallow generator") == true)
        #expect(refusal(.sfpnsc) { $0.a1 = -1 }?.contains("--a1") == true)
        #expect(refusal(.bas) { $0.contrast = .pnsc; $0.wPNSC = 0 } == nil, "BAS's area term still acts")
        #expect(refusal(.sfpnsc) { $0.map = .mean } == nil)
        #expect(throws: WSOLError.self) {
            try WSOLModel(ModelSpec(architecture: .resnet18, numClasses: 2, f1Tap: "layer3"),
                          MethodOptions(method: .sfpnsc, architecture: .resnet18))
        }
        #expect(throws: WSOLError.self) { try ModelSpec(architecture: .vgg16, numClasses: 2, imageSize: 100).validate() }
    }
}
