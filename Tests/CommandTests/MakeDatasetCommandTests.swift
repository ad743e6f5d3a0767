import Datasets
import Foundation
import Synthesis
import Testing
import TestSupport
import Torch

/// `wsol make-dataset` on a miniature of the Debian sources (Tests/reference/photo_sources.py), read
/// back with the CUB reader and checked with `wsol data check --deep`.
@Suite("wsol make-dataset", .serialized)
struct MakeDatasetCommandTests {
    init() { configureTestRuntime }

    static let sources: Result<URL, Error> = Result { try Reference.run("photo_sources.py") }

    private func arguments(out: String, seed: Int = 3, sources: String? = nil) throws -> [String] {
        let root = try sources ?? Self.sources.get().path
        return ["make-dataset", "--stamps", root + "/usr/share/tuxpaint/stamps",
                "--backgrounds", root + "/usr/share/scratch/Media/Backgrounds/Nature",
                "--backgrounds", root + "/usr/share/scratch/Media/Backgrounds/Outdoors",
                "--out", out, "--categories", "animals,food", "--exclude", "animals/fish",
                "--per-class", "3", "--test-per-class", "2", "--canvas", "96", "72", "--seed", String(seed)]
    }

    private func make(seed: Int = 3, sources: String? = nil) throws -> String {
        let out = try temporaryDirectory(prefix: "mkdata").appendingPathComponent("CUB_200_2011").path
        let made = try runProcess(wsolBinary, try arguments(out: out, seed: seed, sources: sources))
        #expect(made.status == 0, "\(made.output)")
        #expect(made.output.contains("wrote 15 images (3 classes, 96x72)"), "\(made.output)")
        return out
    }

    /// SHA-256 over the sorted per-file SHA-256 lines, as docs/SYNTH.md fingerprints a dataset.
    private func fingerprint(_ dir: String) throws -> String {
        let script = "cd '\(dir)' && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum "
            + "| cut -d' ' -f1"
        return try runProcess("/bin/bash", ["-c", script]).output
    }

    @Test func theDatasetReadsBackWithBoxesThatBoundTheirMasks() throws {
        let out = try make()
        let read = CUBReader.read(root: out)
        #expect(read.issues.isEmpty, "\(read.issues)")
        let train = try #require(read.splits["train"]), test = try #require(read.splits["test"])
        #expect(train.classNames == ["001.robin", "002.wren", "003.plum"])
        #expect(train.count == 9 && test.count == 6)
        for sample in train.samples + test.samples {
            let box = try #require(sample.boxes.first)
            let maskPath = try #require(sample.maskPaths.first)
            let mask = try ImageIO.decode(maskPath, grayscale: true)
            #expect(mask.shape == [72, 96])
            #expect(PhotoComposer.bounds(of: try mask.bytes(), width: 96) == box, "\(sample.imagePath)")
            #expect(box.x0 >= 0 && box.y0 >= 0 && box.x1 <= 96 && box.y1 <= 72 && !box.isEmpty)
        }
        let check = try runProcess(wsolBinary, ["data", "check", "--format", "cub", "--root", out, "--deep"])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("0 error(s), 0 warning(s)"), "\(check.output)")
        let credits = (out as NSString).appendingPathComponent("credits")
        for file in ["tuxpaint-stamps-default/copyright", "scratch/copyright", "SOURCES.txt"] {
            #expect(FileManager.default.fileExists(atPath: credits + "/" + file), "\(file)")
        }
        let debianLog = credits + "/tuxpaint-stamps-default/changelog.Debian.gz"
        #expect(!FileManager.default.fileExists(atPath: debianLog))
        let sources = try String(contentsOfFile: credits + "/SOURCES.txt", encoding: .utf8)
        #expect(sources.contains("001 robin: animals/birds/robin.png (A robin.)"))
    }

    /// Also from a copy of the sources elsewhere: nothing in the dataset depends on where they lie.
    @Test func theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws {
        let moved = try temporaryDirectory(prefix: "mkdata-moved").appendingPathComponent("sources").path
        try FileManager.default.copyItem(atPath: try Self.sources.get().path, toPath: moved)
        let first = try fingerprint(try make(seed: 3)), again = try fingerprint(try make(seed: 3, sources: moved))
        let other = try fingerprint(try make(seed: 4))
        #expect(first.count > 60 && first == again)
        #expect(first != other)
    }

    @Test func aFolderInUseAndSizesOutOfBoundsAreRefusedWithOneLine() throws {
        let used = try temporaryDirectory(prefix: "mkdata-used")
        try Data("mine".utf8).write(to: used.appendingPathComponent("notes.txt"))
        let refused = try runProcess(wsolBinary, try arguments(out: used.path))
        #expect(refused.status == 2)
        #expect(refused.output.hasPrefix("error: \(used.path): exists and is not an empty folder"))
        #expect(refused.output.split(separator: "\n").count == 1, "\(refused.output)")
        #expect(try String(contentsOf: used.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
        let fresh = try temporaryDirectory(prefix: "mkdata-bad").appendingPathComponent("x").path
        let bad = [("--canvas", ["8", "8"]), ("--canvas", ["100000", "50"]), ("--per-class", ["99999999"]),
                   ("--canvas", ["96"])]
        for (option, values) in bad {
            var args = try arguments(out: fresh)
            let at = args.firstIndex(of: option)!
            args.replaceSubrange(at + 1..<(option == "--canvas" ? at + 3 : at + 2), with: values)
            let r = try runProcess(wsolBinary, args)
            #expect(r.status == 2 && r.output.hasPrefix("error: --"), "\(option) \(values): \(r.output)")
            #expect(!FileManager.default.fileExists(atPath: fresh))
        }
    }

    @Test func listShowsKeptStampsPerCategoryAndWhyOthersAreLeftOut() throws {
        let root = try Self.sources.get().path
        let stamps = root + "/usr/share/tuxpaint/stamps"
        let r = try runProcess(wsolBinary, ["make-dataset", "--stamps", stamps, "--list"])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("animals/birds: 2 / 9 (animals-birds-robin wren)"))
        #expect(r.output.contains("  animals/birds/swallow.svg: vector drawing (SVG)"))
        #expect(r.output.contains("total: 4 photographs kept of 13 stamp files"))
    }
}
