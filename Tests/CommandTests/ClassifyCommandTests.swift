import Foundation
import Testing
import TestSupport

@Suite("wsol classify", .serialized)
struct ClassifyCommandTests {
    init() { configureTestRuntime }

    /// JSON for each image: image, top (index, probability), logits.
    func classify(_ arguments: [String]) throws -> (status: Int32, images: [[String: Any]], output: String) {
        let result = try runProcess(wsolBinary, ["classify", "--json"] + arguments)
        let json = result.output.split(separator: "\n").first { $0.hasPrefix("[") }.map(String.init) ?? "[]"
        let images = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        return (result.status, images, result.output)
    }

    @Test func logitsMatchTorchvisionWithBothPreprocessings() throws {
        let models = try Reference.run("models.py", arguments: ["resnet18", "64"])
        let weights = models.appendingPathComponent("weights.pth").path
        let dir = try Reference.run("classify.py", arguments: [weights])
        for (name, preprocess) in [("square", "standard"), ("wide", "none")] {
            let image = dir.appendingPathComponent("\(name).png").path
            let result = try classify(["--arch", "resnet18", "--weights", weights, "--preprocess", preprocess, "--topk", "3", image])
            #expect(result.status == 0, "\(result.output)")
            let ours = try #require(result.images.first)
            let logits = (ours["logits"] as? [Double] ?? []).map(Float.init)
            let expected = try Reference.load(dir, "\(name)_logits").floats()
            #expect(logits.count == expected.count)
            #expect(relativeError(logits.map(Double.init), expected.map(Double.init)) < 1e-4, "\(name)")
            let top = (ours["top"] as? [[String: Any]] ?? []).compactMap { $0["index"] as? Int }
            let expectedTop = Array(expected.indices.sorted { expected[$0] > expected[$1] }.prefix(3))
            #expect(top == expectedTop)
            #expect(ours["image"] as? String == image)
        }
    }

    @Test func badInputsGiveOneLineErrorsAndExitTwo() throws {
        let models = try Reference.run("models.py", arguments: ["resnet18", "64"])
        let weights = models.appendingPathComponent("weights.pth").path
        let dir = try Reference.run("classify.py", arguments: [weights])
        let image = dir.appendingPathComponent("square.png").path
        // Weights of another architecture: the error names the file and the first bad key.
        let wrongArch = try runProcess(wsolBinary, ["classify", "--arch", "resnet50", "--weights", weights, image])
        #expect(wrongArch.status != 0)
        #expect(wrongArch.output.contains(weights), "\(wrongArch.output)")
        // A missing image is reported by name; the other image is still classified.
        let missing = dir.appendingPathComponent("missing.png").path
        let partial = try classify(["--arch", "resnet18", "--weights", weights, image, missing])
        #expect(partial.status == 2)
        #expect(partial.images.count == 1)
        #expect(partial.output.contains(missing))
        // A truncated weights file: one line naming it, exit 2.
        let truncated = dir.appendingPathComponent("truncated.pth").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: weights))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        let bad = try runProcess(wsolBinary, ["classify", "--arch", "resnet18", "--weights", truncated, image])
        #expect(bad.status == 2)
        #expect(bad.output.contains(truncated))
        #expect(bad.output.split(separator: "\n").count == 1, "\(bad.output)")
        let usage = try runProcess(wsolBinary, ["classify", "--arch", "alexnet", "--weights", weights, image])
        #expect(usage.status == 2)
    }
}
