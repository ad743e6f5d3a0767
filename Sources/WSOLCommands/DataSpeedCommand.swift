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

    @Option(parsing: .unconditional, help: "Decoding threads (\(Bounds.workers)).")
    var workers = 2

    @Option(name: .customLong("batch-size"), parsing: .unconditional,
            help: "Images per batch (\(Bounds.batchSize)).")
    var batchSize = 32

    @Option(parsing: .unconditional, help: "Epochs to time, thread start-up included (\(Bounds.epochs)).")
    var epochs = 2

    @Option(name: .customLong("image-size"), parsing: .unconditional,
            help: ArgumentHelp("Output size S, a multiple of 32 in \(Bounds.imageSize) (train transform: " +
                               "resize round(S*256/224), crop S)."))
    var imageSize = 224

    func validate() throws {
        guard imageSize % 32 == 0 else { throw ValidationError("--image-size must be a multiple of 32") }
    }

    func run() throws {
        // Here, not in validate(): swift-argument-parser would wrap the one-line failure in its own.
        try Bounds.check(batchSize, Bounds.batchSize, "--batch-size")
        try Bounds.check(workers, Bounds.workers, "--workers")
        try Bounds.check(epochs, Bounds.epochs, "--epochs")
        try Bounds.check(imageSize, Bounds.imageSize, "--image-size")
        let data = try dataset.read().requireSplit(split)
        var options = DataLoader.Options()
        options.batchSize = batchSize
        options.workers = workers
        options.shuffle = true
        let loader = DataLoader(dataset: data, transform: ImageTransform(.train, imageSize: imageSize),
                                options: options)
        var images = 0
        let start = Date()
        for epoch in 0..<epochs {
            let iterator = loader.epoch(epoch)
            while let batch = try iterator.next() { images += batch.count }
        }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "loader: %d images in %.2f s, %.1f images/s (%d workers, batch %d)", images,
                     seconds, Double(images) / seconds, workers, batchSize))
    }
}
