import ArgumentParser
import Datasets
import Foundation
import Inference
import Models
import Torch
import Visualization
import WSOL

extension BenchmarkCommand {
    /// export-maps on a CUB-layout folder with a randomly initialized model: the forward-only rate (the
    /// loader and the model's full-image pass, maps fetched, nothing written) beside the whole export's
    /// (the same pass plus every .npy, panel and thumbnail, then boxes.csv and index.html), so the cost
    /// of writing shows against the cost of the forward passes.
    struct ExportMaps: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-maps",
            abstract: "Images/s of export-maps against its forward passes alone (bench/export_maps.sh)."
        )

        @Option(help: "A CUB-layout folder (e.g. from wsol synth).") var root: String
        @Option(help: "Split to export.") var split = "test"
        @Option(help: "Images (the first N of the split; 1-100000).") var count = 500
        @Option(help: "Architecture.") var arch: Architecture = .resnet50
        @Option(help: "Method: cam, bas or sfpnsc (sfpnsc's panels have the most tiles).")
        var method: WSOL.Method = .sfpnsc
        @Option(help: "Input size (32-1024).") var imageSize = 224
        @Option(help: "Images per forward pass (1-1024).") var batchSize = 32
        @Option(help: "Decoding threads (0-64).") var workers = 2

        func validate() throws {
            guard (1...100_000).contains(count), (32...1024).contains(imageSize),
                  (1...1024).contains(batchSize), (0...64).contains(workers) else {
                throw ValidationError(
                    "--count 1-100000, --image-size 32-1024, --batch-size 1-1024, --workers 0-64")
            }
        }

        func run() throws {
            var data = try CUBReader.read(root: root).requireSplit(split)
            data.samples = Array(data.samples.prefix(count))
            TorchRuntime.manualSeed(0)
            let spec = ModelSpec(architecture: arch, numClasses: data.classCount, imageSize: imageSize)
            let model = try WSOLModel(spec, MethodOptions(method: method, architecture: arch))
            model.eval()
            // As `wsol export-maps` runs it (LoadedModel).
            if LoadedModel.runsChannelsLast { try model.useChannelsLast() }
            var settings = MapExporter.Settings(threshold: 0.1)
            settings.batchSize = batchSize
            settings.workers = workers
            let exporter = MapExporter(model: model, settings: settings, classNames: data.classNames)
            let images = (CUBReader.locate(root) as NSString).appendingPathComponent("images")
            let ids = try ImageIDs.relative(data.samples.map(\.imagePath), root: images)
            let out = FileManager.default.temporaryDirectory.appendingPathComponent(
                "wsol-bench-export-\(UUID().uuidString.prefix(8))").path
            defer { try? FileManager.default.removeItem(atPath: out) }

            // The same batches, maps and generator maps as the export, nothing drawn or written.
            var evaluation = EvaluationSettings(threshold: 0.1, classMode: .gt, topK: 1)
            evaluation.batchSize = batchSize
            evaluation.workers = workers
            var request = ModelEvaluator.MapRequest()
            request.generatorMaps = true
            var unreadable = Set<String>()
            var start = Date()
            let forwarded = try ModelEvaluator(model: model, settings: evaluation).forEachBatch(
                data, .full, request: request, unreadable: &unreadable) { _, _ in }
            let forward = -start.timeIntervalSinceNow

            start = Date()
            let result = try exporter.export(data, ids: ids, into: out, layout: .first)
            let records = result.outcomes.map { index, outcome in
                GalleryRecord(imageID: ids[index], trueClass: data.samples[index].label,
                              trueName: data.classNames[data.samples[index].label], run: outcome)
            }
            try Gallery(title: "benchmark", runNames: ["benchmark"], records: records).write(to: out)
            let export = -start.timeIntervalSinceNow

            let n = Double(forwarded)
            func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000 / n) }
            print("export-maps \(arch.rawValue) \(method.rawValue) \(imageSize) px, "
                + "\(forwarded) images, batch "
                + "\(batchSize), \(workers) workers, \(TorchRuntime.numThreads) threads:")
            print("  forward only: \(String(format: "%.1f", n / forward)) images/s (\(ms(forward)) ms/image)")
            print("  export:       \(String(format: "%.1f", n / export)) images/s (\(ms(export)) ms/image; "
                + "writing adds \(ms(export - forward)) ms/image, "
                + String(format: "%.2f", (export - forward) / forward) + "x the forward passes)")
        }
    }
}
