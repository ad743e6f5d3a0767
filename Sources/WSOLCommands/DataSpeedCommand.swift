import ArgumentParser
import Datasets
import Foundation

/// `wsol data speed`: the loader's throughput on a dataset (what bench/loader.sh measures).
struct DataSpeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speed",
        abstract: "Time the data loader (train transform) on a split; prints images/s."
    )

    @OptionGroup var dataset: DatasetOptions

    @Option(help: "Split to load.")
    var split = "train"

    @Option(help: "Decoding threads.")
    var workers = 2

    @Option(name: .customLong("batch-size"), help: "Images per batch.")
    var batchSize = 32

    @Option(help: "Epochs to time (after one warm-up batch).")
    var epochs = 2

    @Option(name: .customLong("image-size"), help: "Output size S (train transform: resize round(S*256/224), crop S).")
    var imageSize = 224

    func run() throws {
        let data: Dataset
        do { data = try dataset.read().requireSplit(split) } catch let error as DatasetError {
            throw CommandFailure(error.message, exitCode: 2)
        }
        var options = DataLoader.Options()
        options.batchSize = batchSize
        options.workers = workers
        options.shuffle = true
        let loader = DataLoader(dataset: data, transform: ImageTransform(.train, imageSize: imageSize), options: options)
        var images = 0
        let start = Date()
        for epoch in 0..<epochs {
            let iterator = loader.epoch(epoch)
            while let batch = try iterator.next() { images += batch.count }
        }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "loader: %d images in %.2f s, %.1f images/s (%d workers, batch %d)", images, seconds,
                     Double(images) / seconds, workers, batchSize))
    }
}
