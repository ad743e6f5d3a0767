import Datasets
import Foundation
import Testing
import TestSupport

/// Seeded random option lists for the commands users type most (train, eval, localize, export-maps,
/// make-dataset, model): values in range, at and past their bounds, negative, NaN, infinite, huge,
/// empty, text where a number goes, repeated options and a missing last value. The inputs they name do
/// not exist (or, for `model`, sizes stay small), so every case ends quickly. Nothing may crash: the
/// status is 0, 1 or 2, a refusal is a few lines in the project's words, and no partial file is left.
@Suite("fuzz: command-line options", .serialized)
struct OptionFuzzTests {
    enum Kind { case number, choice([String]), path, flag }

    static let numbers = ["0", "1", "2", "3", "-1", "0.5", "64", "1e308", "-1e308", "nan", "inf", "-0",
                          "9223372036854775808", "", "abc", "1,5", "0x10", "1e-9"]
    static let methodOptions: [(String, Kind)] = [
        ("--method", .choice(["cam", "bas", "sfpnsc", "classify"])), ("--arch", .choice(["resnet18", "vgg16"])),
        ("--w1", .number), ("--w2", .number), ("--a1", .number), ("--a2", .number), ("--w-sf", .number),
        ("--w-pnsc", .number), ("--sf-gate", .choice(["none", "deep"])), ("--no-soft-fusion", .flag),
        ("--contrast", .choice(["pnsc", "bas"])), ("--pnsc-detach-s", .choice(["on", "off"])),
        ("--pnsc-space", .choice(["scores", "probabilities"])), ("--pnsc-target", .choice(["prediction", "label"])),
        ("--map", .choice(["deep", "shallow", "mean", "gated", "fused"])), ("--bg-bn", .choice(["batch", "running"])),
        ("--bg-path", .choice(["f2block", "head"])), ("--bas-alpha", .number), ("--bas-beta", .number),
        ("--w-fg-cls", .number), ("--mask-channels", .choice(["classes", "one"])), ("--area-floor", .number),
        ("--area-floor-weight", .number), ("--area-floor-gradient", .choice(["straight", "sigmoid"])),
        ("--detach-generators", .flag), ("--shallow-gradient", .flag), ("--detach-f3", .flag),
        ("--mask-seed", .number), ("--shallow-ratio", .number), ("--head-width", .number), ("--image-size", .choice(["32", "64", "100", "4096"])),
        ("--f1-tap", .choice(["layer1", "layer9"])),
    ]
    static let datasetOptions: [(String, Kind)] = [
        ("--format", .choice(["cub", "wsolevaluation", "ilsvrc"])), ("--root", .path), ("--metadata", .path),
        ("--images", .path), ("--split", .choice(["train", "test", "val"])),
    ]
    static let mapOptions: [(String, Kind)] = [
        ("--class-mode", .choice(["gt", "top1", "topk"])), ("--topk", .number), ("--threshold", .number),
        ("--which", .choice(["best", "last"])), ("--batch-size", .number), ("--workers", .number),
    ]

    /// Each command: the arguments every case starts with (inputs that do not exist) and its options.
    static func commands(_ dir: String) -> [(base: [String], options: [(String, Kind)])] {
        let absent = dir + "/absent"
        return [
            (["train", "--format", "cub", "--root", absent, "--out", dir + "/run"],
             methodOptions + datasetOptions + [
                ("--epochs", .number), ("--batch-size", .number), ("--lr", .number),
                ("--schedule", .choice(["step", "cosine"])), ("--decay-epochs", .number),
                ("--warmup-epochs", .number), ("--generator-lr-scale", .number), ("--workers", .number),
                ("--threads", .number), ("--seed", .number), ("--val-per-class", .number),
                ("--select", .choice(["best", "last"])), ("--preset", .choice(["paper"])), ("--recipe", .choice(["paper", "revived"])), ("--log-every", .number),
                ("--resume", .flag), ("--force", .flag), ("--weights", .path), ("--device", .choice(["cpu", "cuda"])),
             ]),
            (["eval", "--checkpoint", absent + ".safetensors", "--format", "cub", "--root", absent],
             datasetOptions + mapOptions + [
                ("--protocol", .choice(["crop", "full", "both"])), ("--interval", .number),
                ("--tencrop", .choice(["on", "off"])), ("--map", .choice(["deep", "gated"])),
                ("--image-size", .number), ("--per-class", .flag), ("--json", .flag), ("--run", .path),
             ]),
            (["localize", "--checkpoint", absent + ".safetensors", absent + ".jpg"],
             mapOptions + [("--label", .number), ("--preprocess", .choice(["crop", "full"])), ("--json", .flag),
                           ("--out", .path), ("--force", .flag)]),
            (["export-maps", "--checkpoint", absent + ".safetensors", "--format", "cub", "--root", absent,
              "--out", dir + "/export"],
             datasetOptions + mapOptions + [("--limit", .number), ("--compare", .path), ("--force", .flag)]),
            (["make-dataset", "--stamps", absent, "--backgrounds", absent, "--out", dir + "/made"],
             [("--categories", .choice(["animals/birds/duck.png", "", ",", "../x"])), ("--exclude", .path),
              ("--per-class", .number), ("--test-per-class", .number), ("--canvas", .number),
              ("--seed", .number), ("--list", .flag)]),
            (["model", "--arch", "resnet18", "--method", "bas", "--image-size", "32", "--head-width", "4"],
             methodOptions + [("--num-classes", .number), ("--json", .flag), ("--weights", .path)]),
        ]
    }

    static func value(_ kind: Kind, _ random: inout SeededRandom) -> String? {
        switch kind {
        case .flag: return nil
        case .number: return numbers[random.int(below: numbers.count)]
        case .choice(let valid):
            let pool = valid + ["", "nope", valid[0].uppercased()]
            return pool[random.int(below: pool.count)]
        case .path:
            let pool = ["/dev/null", "", String(repeating: "p", count: 5000), "é/ü", "/", "/proc/self/mem"]
            return pool[random.int(below: pool.count)]
        }
    }

    @Test func randomOptionListsNeverCrash() throws {
        let dir = try temporaryDirectory(prefix: "option-fuzz").path
        var random = SeededRandom(seed: 23)
        var cases = 0, refused = 0
        for (base, options) in Self.commands(dir) {
            for _ in 0..<8 {
                var arguments = base
                for _ in 0..<random.int(in: 1...4) {
                    let (name, kind) = options[random.int(below: options.count)]
                    arguments.append(name)
                    if let value = Self.value(kind, &random) { arguments.append(value) }
                }
                // Now and then the last option loses its value.
                if random.int(below: 8) == 0, arguments.last?.hasPrefix("--") == false { arguments.removeLast() }
                let r = try runProcess(wsolBinary, arguments, environment: ["WSOL_THREADS": "1"])
                cases += 1
                let shown = arguments.map { $0.count > 40 ? String($0.prefix(40)) + "..." : $0 }.joined(separator: " ")
                #expect([0, 1, 2].contains(r.status), "wsol \(shown): status \(r.status)\n\(r.output.prefix(2000))")
                for raw in ["NSCocoaErrorDomain", "Fatal error", "Swift runtime failure", "terminate called"] {
                    #expect(!r.output.contains(raw), "wsol \(shown): \(r.output.prefix(2000))")
                }
                if r.status != 0 {
                    refused += 1
                    let lines = r.output.split(separator: "\n").count
                    #expect(lines >= 1 && lines <= 8, "wsol \(shown): \(lines) lines\n\(r.output.prefix(2000))")
                }
            }
        }
        let leftovers = FileManager.default.enumerator(atPath: dir)?.allObjects.compactMap { $0 as? String }
            .filter { $0.contains(".wsol-partial") || $0.contains(".staging-") } ?? []
        #expect(leftovers.isEmpty, "\(leftovers)")
        print("option fuzz: \(cases) cases, \(refused) refused, \(cases - refused) accepted")
    }
}
