import Foundation
import Models
import NN
import Testing
import TestSupport
import Torch
import WeightsIO

@Suite("Module registration, modes, freezing, devices and loading", .serialized)
struct ModuleTests {
    init() { configureTestRuntime }

    @Test func keysFollowTorchvisionsNamingAndOrder() throws {
        let block = Sequential([try Conv2d(3, 4, kernelSize: 3, padding: 1), ReLU(), try BatchNorm2d(4), try Linear(4, 2)])
        #expect(block.stateDict().map(\.name) == [
            "0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var", "2.num_batches_tracked",
            "3.weight", "3.bias",
        ])
        #expect(block.namedParameters().count == 6)
        #expect(block.namedBuffers().count == 3)
    }

    /// A NaN or an infinity anywhere (a parameter or a buffer) is found by name; huge finite values are not.
    @Test func nonFiniteTensorsAreFoundByName() throws {
        let block = Sequential([try Conv2d(3, 4, kernelSize: 3, padding: 1), try BatchNorm2d(4)])
        #expect(try block.firstNonFiniteTensor() == nil)
        try withNoGrad {
            _ = try block.namedParameters()[0].tensor.fill_(1e38)
            #expect(try block.firstNonFiniteTensor() == nil)
            _ = try block.namedBuffers().first { $0.name == "1.running_var" }!.tensor.fill_(.infinity)
            #expect(try block.firstNonFiniteTensor() == "1.running_var")
            _ = try block.namedParameters()[1].tensor.fill_(.nan)
            #expect(try block.firstNonFiniteTensor() == "0.bias")
        }
    }

    @Test func trainAndEvalAreRecursiveAndBatchNormFollowsThem() throws {
        let bn = try BatchNorm2d(2)
        let net = Sequential([Sequential([bn])])
        let x = try Tensor.randn([4, 2, 3, 3]) * 3 + 1
        net.eval()
        #expect(!bn.isTraining)
        _ = try net(x)
        #expect(try bn.numBatchesTracked.item() == 0)
        #expect(try bn.runningMean.floats() == [0, 0])
        net.train()
        #expect(bn.isTraining)
        _ = try net(x)
        #expect(try bn.numBatchesTracked.item() == 1)
        #expect(try bn.runningMean.abs().sum().item() > 0)
    }

    @Test func freezingStopsGradients() throws {
        let linear = try Linear(3, 2)
        try linear.freeze()
        #expect(linear.parameters().allSatisfy { !$0.requiresGrad })
        try linear.freeze(false)
        #expect(linear.parameters().allSatisfy { $0.requiresGrad })
    }

    @Test func movesKeepEveryCopyOfAParameter() throws {
        let bn = try BatchNorm2d(2)
        let weight = bn.weight
        let registered = try #require(bn.namedParameters().first?.tensor)
        try bn.to(.float64)
        // The layer's property, an earlier copy and the registry all see the converted tensor...
        #expect(weight.dtype == .float64)
        #expect(registered.dtype == .float64)
        #expect(bn.runningMean.dtype == .float64)
        // ...which is still the same leaf: it trains, and in-place writes reach every copy.
        #expect(weight.requiresGrad)
        try weight.fill_(3)
        #expect(try registered.doubles() == [3, 3])
        #expect(bn.numBatchesTracked.dtype == .int64)
        let y = try bn(Tensor.randn([4, 2, 3, 3]).to(.float64))
        #expect(y.dtype == .float64)
        try bn.to(device: "cpu")
        #expect(weight.device == "cpu")
        if !TorchRuntime.cudaIsAvailable {
            #expect(throws: TorchError.self) { try bn.to(device: "cuda") }
        }
    }

    @Test func loadingWrongWeightsNamesTheFileAndKey() throws {
        let dir = try Reference.run("models.py", arguments: ["resnet18", "64"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("weights.safetensors").path
        let file = try WeightsFile.load(path)
        let resnet50 = try ResNet.resnet50()
        #expect { try resnet50.load(file, from: path) } throws: { error in
            let message = "\(error)"
            return message.contains(path) && message.contains("key layer1.0.") && !message.contains("\n")
        }
        // Without num_batches_tracked the load succeeds and the counters are 0.
        var trimmed = StateDict()
        for (key, tensor) in file.tensors where !key.hasSuffix("num_batches_tracked") { trimmed.set(key, tensor) }
        let resnet18 = try ResNet.resnet18()
        let report = try resnet18.load(trimmed, from: path)
        #expect(report.isExact)
        #expect(report.filledNumBatchesTracked.count == 20)
        #expect(try resnet18.bn1.numBatchesTracked.item() == 0)
        // A new head: fc.* skipped and listed, the backbone loaded.
        let tenClasses = try ResNet.resnet18(numClasses: 10)
        let skipping = try tenClasses.load(file, from: path, strict: true) { $0.hasPrefix("fc.") }
        #expect(Set(skipping.skipped) == ["fc.weight", "fc.bias"])
    }
}
