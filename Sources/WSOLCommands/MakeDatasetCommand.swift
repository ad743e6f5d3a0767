import ArgumentParser
import Datasets
import Foundation
import Synthesis

/// `wsol make-dataset`: photo composites in the CUB-200-2011 layout (docs/PHOTO-DATA.md).
struct MakeDatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-dataset",
        abstract: "Paste photographed cut-outs on background photos: a CUB-layout dataset.",
        discussion: "Sources come from `make photo-sources` (docs/PHOTO-DATA.md). --list shows which stamps "
            + "of each category are photographs and why the others are left out."
    )

    @Option(help: "The stamp folder (Tux Paint's stamps: category folders of PNG cut-outs).")
    var stamps: String

    @Option(help: "A folder of background photos (.jpg); repeat the option for several.")
    var backgrounds: [String] = []

    @Option(help: "The dataset folder to create (read it with --format cub --root DIR); new or empty.")
    var out: String?

    @Option(help: "Comma-separated category folders with their subfolders (animals/birds), stamps, or all.")
    var categories: String?

    @Option(help: "Comma-separated category folders or stamps to leave out (animals/birds,animals/mammals).")
    var exclude: String?

    @Option(name: .customLong("per-class"), help: "Training images per class.")
    var perClass: Int?

    @Option(name: .customLong("test-per-class"), help: "Test images per class.")
    var testPerClass: Int?

    @Option(parsing: .upToNextOption, help: "Canvas width and height in pixels (default 256 192).")
    var canvas: [Int] = []

    @Option(help: "Random seed: the same seed and sources give the same files.")
    var seed: UInt64?

    @Flag(help: "Only list each category's photographs and why the other stamps are left out.")
    var list = false

    func run() throws {
        let selected = split(categories ?? (list ? "all" : ""))
        let excluded = split(exclude ?? "")
        let catalog = try StampCatalog.scan(root: stamps, categories: selected, excluded: excluded)
        if list {
            print(Self.listing(catalog), terminator: "")
            return
        }
        guard let out, categories != nil, let perClass, let testPerClass, let seed,
              !backgrounds.isEmpty else {
            throw CommandFailure("--out, --backgrounds, --categories, --per-class, --test-per-class and "
                                 + "--seed are needed (or --list)", exitCode: 2)
        }
        var config = PhotoDatasetGenerator.Config(trainPerClass: perClass, testPerClass: testPerClass,
                                                  seed: seed)
        if !canvas.isEmpty {
            guard canvas.count == 2 else {
                throw CommandFailure("--canvas takes two numbers: W H", exitCode: 2)
            }
            (config.canvasWidth, config.canvasHeight) = (canvas[0], canvas[1])
        }
        try PhotoDatasetGenerator.validate(config)
        try refuseNonEmptyFolder(out)
        let photos = try BackgroundPhotos.load(folders: backgrounds)
        let existed = FileManager.default.fileExists(atPath: out)
        do {
            try PhotoDatasetGenerator.generate(config, stamps: catalog, backgrounds: photos,
                                               backgroundFolders: backgrounds, out: out,
                                               progress: Self.progressLine)
        } catch {
            removeHalfDataset(out, keepFolder: existed)
            throw error
        }
        let total = catalog.stamps.count * (perClass + testPerClass)
        print("wrote \(total) images (\(catalog.stamps.count) classes, "
              + "\(config.canvasWidth)x\(config.canvasHeight)) to \(out)")
    }

    private func split(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Refuses an output folder that exists and is not empty (or is a file): one line, exit 2. Stricter
    /// than OutputFolder's rule (which CUBWriter applies too): make-dataset has no --force and does not
    /// rewrite its own earlier output.
    func refuseNonEmptyFolder(_ path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return }
        let items = isFolder.boolValue ? try? FileManager.default.contentsOfDirectory(atPath: path) : nil
        if items?.isEmpty != true {
            throw CommandFailure("\(path): exists and is not an empty folder; choose a new --out "
                                 + "(nothing is overwritten)", exitCode: 2)
        }
    }

    /// After a failure: the folder was new or empty, so what is in it now is ours to remove.
    private func removeHalfDataset(_ path: String, keepFolder: Bool) {
        guard keepFolder else { try? FileManager.default.removeItem(atPath: path); return }
        for item in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            try? FileManager.default.removeItem(atPath: (path as NSString).appendingPathComponent(item))
        }
    }

    /// Per category: photographs kept / stamp files (class names); then every stamp left out and why.
    static func listing(_ catalog: StampCatalog) -> String {
        var kept: [String: [String]] = [:], seen: [String: Int] = [:]
        for s in catalog.stamps {
            kept[s.category, default: []].append(s.className)
            seen[s.category, default: 0] += 1
        }
        for r in catalog.rejected {
            seen[(r.relativePath as NSString).deletingLastPathComponent, default: 0] += 1
        }
        var text = "category: photographs kept / stamp files (class names)\n"
        for category in seen.keys.sorted() {
            let names = kept[category] ?? []
            text += "\(category): \(names.count) / \(seen[category]!)"
            text += (names.isEmpty ? "" : " (\(names.joined(separator: " ")))") + "\n"
        }
        let files = catalog.stamps.count + catalog.rejected.count
        text += "total: \(catalog.stamps.count) photographs kept of \(files) stamp files\n"
        return text + "left out:\n" + catalog.rejected.map { "  \($0.relativePath): \($0.reason)\n" }.joined()
    }

    /// One updating line on a terminal; nothing in logs.
    static func progressLine(done: Int, total: Int) {
        guard isatty(1) != 0 else { return }
        print("\rcomposing \(done)/\(total)", terminator: done == total ? "\n" : "")
        fflush(stdout)
    }
}
