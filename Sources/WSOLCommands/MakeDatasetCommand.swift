import ArgumentParser
import Datasets
import Foundation

/// `wsol make-dataset`: photo composites in the CUB-200-2011 layout (docs/PHOTO-DATA.md).
struct MakeDatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-dataset",
        abstract: "Paste photographed cut-outs on background photos: a CUB-layout dataset, one class per stamp.",
        discussion: "Sources come from `make photo-sources` (docs/PHOTO-DATA.md). --list shows which stamps of each "
            + "category are photographs and why the others are left out."
    )

    @Option(help: "The stamp folder (Tux Paint's stamps: category folders of PNG cut-outs).")
    var stamps: String

    @Option(help: "A folder of background photos (.jpg); repeat the option for several.")
    var backgrounds: [String] = []

    @Option(help: "The dataset folder to create (read it with --format cub --root DIR); it must be new or empty.")
    var out: String?

    @Option(help: "Comma-separated category folders with their subfolders (animals/birds), stamps, or all.")
    var categories: String?

    @Option(help: "Comma-separated category folders or stamps to leave out (e.g. animals/birds,animals/mammals).")
    var exclude: String?

    @Option(name: .customLong("per-class"), help: "Training images per class.")
    var perClass: Int?

    @Option(name: .customLong("test-per-class"), help: "Test images per class.")
    var testPerClass: Int?

    @Option(parsing: .upToNextOption, help: "Canvas width and height in pixels (default 256 192).")
    var canvas: [Int] = []

    @Option(help: "Random seed: the same seed and sources give the same files.")
    var seed: UInt64?

    @Flag(help: "Only list the categories, how many stamps in each are photographs, and why others are left out.")
    var list = false

    func run() throws {
        let catalog = try StampCatalog.scan(root: stamps, categories: split(categories ?? (list ? "all" : "")),
                                            excluded: split(exclude ?? ""))
        if list {
            print(listing(catalog), terminator: "")
            return
        }
        guard let out, categories != nil, let perClass, let testPerClass, let seed, !backgrounds.isEmpty else {
            throw CommandFailure("--out, --backgrounds, --categories, --per-class, --test-per-class and --seed are needed "
                                 + "(or --list)", exitCode: 2)
        }
        var config = PhotoDatasetGenerator.Config(trainPerClass: perClass, testPerClass: testPerClass, seed: seed)
        if !canvas.isEmpty {
            guard canvas.count == 2 else { throw CommandFailure("--canvas takes two numbers: W H", exitCode: 2) }
            (config.canvasWidth, config.canvasHeight) = (canvas[0], canvas[1])
        }
        try PhotoDatasetGenerator.validate(config)
        try refuseNonEmptyFolder(out)
        let photos = try BackgroundPhotos.load(folders: backgrounds)
        let existed = FileManager.default.fileExists(atPath: out)
        do {
            try PhotoDatasetGenerator.generate(config, stamps: catalog, backgrounds: photos, backgroundFolders: backgrounds,
                                               out: out, progress: Self.progressLine)
        } catch {
            // The folder was new or empty: leave no half dataset behind.
            if existed {
                for item in (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [] {
                    try? FileManager.default.removeItem(atPath: (out as NSString).appendingPathComponent(item))
                }
            } else {
                try? FileManager.default.removeItem(atPath: out)
            }
            throw error
        }
        let total = catalog.stamps.count * (perClass + testPerClass)
        print("wrote \(total) images (\(catalog.stamps.count) classes, \(config.canvasWidth)x\(config.canvasHeight)) to \(out)")
    }

    private func split(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Refuses an output folder that exists and is not empty (or is a file): one line, exit 2.
    /// (The lead swaps this for the shared OutputFolder helper, which adds --force.)
    func refuseNonEmptyFolder(_ path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return }
        let empty = isFolder.boolValue && ((try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty ?? false)
        if !empty {
            throw CommandFailure("\(path): exists and is not an empty folder; choose a new --out (nothing is overwritten)",
                                 exitCode: 2)
        }
    }

    /// Per category: stamps seen, photographs kept and their class names; then every stamp left out and why.
    func listing(_ catalog: StampCatalog) -> String {
        var categories: [String: (kept: [String], seen: Int)] = [:]
        for s in catalog.stamps { categories[s.category, default: ([], 0)].kept.append(s.className); categories[s.category]!.seen += 1 }
        for r in catalog.rejected { categories[(r.relativePath as NSString).deletingLastPathComponent, default: ([], 0)].seen += 1 }
        var text = "category: photographs kept / stamp files (class names)\n"
        for name in categories.keys.sorted() {
            let c = categories[name]!
            text += "\(name): \(c.kept.count) / \(c.seen)" + (c.kept.isEmpty ? "" : " (\(c.kept.joined(separator: " ")))") + "\n"
        }
        text += "total: \(catalog.stamps.count) photographs kept of \(catalog.stamps.count + catalog.rejected.count) stamp files\n"
        text += "left out:\n" + catalog.rejected.map { "  \($0.relativePath): \($0.reason)\n" }.joined()
        return text
    }

    /// One updating line on a terminal; nothing in logs.
    static func progressLine(done: Int, total: Int) {
        guard isatty(1) != 0 else { return }
        print("\rcomposing \(done)/\(total)", terminator: done == total ? "\n" : "")
        fflush(stdout)
    }
}
