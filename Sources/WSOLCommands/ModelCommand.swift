import ArgumentParser
import Foundation
import Models
import Torch
import WSOL

/// `wsol model`: builds a WSOL model from its options, optionally loads a weights file into it, and
/// reports what it is: map sizes, parameters, the method's loss terms and how the file's keys met it.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Describe a WSOL model (maps, parameters, loss terms) and check a weights file against it."
    )

    @OptionGroup var model: ModelArguments
    @OptionGroup var methodOptions: MethodArguments

    @Option(help: "Number of classes (default 200, as CUB; a checkpoint's own when --weights has a sidecar).")
    var numClasses = 200

    @Option(help: """
        A weights file to load: our checkpoint, a BAS-Ext .pth.tar, or a torchvision ImageNet file.
        """)
    var weights: String?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard (1...100_000).contains(numClasses) else {
            throw ValidationError("--num-classes must be 1 to 100000")
        }
    }

    func run() throws {
        let file = try weights.map(WeightSources.read)
        let info = file?.sidecar?.wsol
        let spec = try model.spec(numClasses: numClasses, base: info?.spec)
        guard let method = model.method ?? info?.options.method else {
            throw CommandFailure("--method is needed (cam, bas or sfpnsc)", exitCode: 2)
        }
        let options = try methodOptions.options(method: method, architecture: spec.architecture,
                                                base: info?.options)
        try MemoryEstimate(spec: spec, options: options, batch: 2, training: true)
            .check(what: "model: one forward of 2 images at \(spec.imageSize) px")
        let net = try WSOLModel(spec, options)
        let load = try file.map { try WeightSources.load($0, into: net) }
        let summary = try describe(net, load: load)
        if json {
            let data = try JSONSerialization.data(withJSONObject: summary,
                                                  options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            printText(summary)
        }
    }

    private func describe(_ net: WSOLModel, load: WeightsLoadReport?) throws -> [String: Any] {
        let size = net.spec.imageSize
        let labels = try Tensor([Int](repeating: 0, count: 2), shape: [2])
        net.train()
        let (out, loss) = try net.trainingLoss(Tensor.zeros([2, 3, size, size]), labels: labels)
        func shape(_ t: Tensor?) -> [Int]? { t.map { Array($0.shape.dropFirst()) } }
        let parameters = net.namedParameters()
        let newCount = parameters.filter { p in net.newLayerPrefixes.contains { p.name.hasPrefix($0) } }
            .reduce(0) { $0 + $1.tensor.numel }
        var summary: [String: Any] = [
            "architecture": net.spec.architecture.rawValue, "method": net.options.method.rawValue,
            "image_size": size, "num_classes": net.spec.numClasses, "head_width": net.spec.headWidth,
            "f1_tap": net.f1Tap, "f1_taps": net.f1Taps,
            "maps": ["f3": shape(out.f3), "mf1": shape(out.mf1), "mf2": shape(out.mf2)]
                .compactMapValues { $0 },
            "parameters": ["total": parameters.reduce(0) { $0 + $1.tensor.numel }, "new_layers": newCount],
            "loss_terms": loss.terms.map(\.name),
            "options": try JSONSerialization.jsonObject(with: JSONEncoder().encode(net.options)),
        ]
        if let load {
            summary["weights"] = [
                "file": weights!, "kind": load.kind.rawValue, "skipped": load.report.skipped,
                "new_layers": load.newLayers,
                "filled_num_batches_tracked": load.report.filledNumBatchesTracked.count,
                "notes": load.notes,
            ] as [String: Any]
        }
        return summary
    }

    private func printText(_ s: [String: Any]) {
        let maps = (s["maps"] as? [String: [Int]] ?? [:]).sorted { $0.key < $1.key }
            .map { "\($0.key) \($0.value.map(String.init).joined(separator: "x"))" }
        let parameters = s["parameters"] as? [String: Int] ?? [:]
        print("\(s["architecture"]!) \(s["method"]!), \(s["num_classes"]!) classes, "
            + "input \(s["image_size"]!), "
            + "head width \(s["head_width"]!), F1 tap \(s["f1_tap"]!)")
        print("maps: \(maps.joined(separator: ", ")) (channels x height x width)")
        print("parameters: \(parameters["total"] ?? 0) (\(parameters["new_layers"] ?? 0) in new layers)")
        print("loss terms: \((s["loss_terms"] as? [String] ?? []).joined(separator: " + "))")
        if let w = s["weights"] as? [String: Any] {
            print("weights: \(w["file"]!) as \(w["kind"]!); "
                + "skipped \((w["skipped"] as? [String])?.count ?? 0) keys, "
                + "\((w["new_layers"] as? [String])?.count ?? 0) new-layer tensors left initialized")
            for note in w["notes"] as? [String] ?? [] { print("note: \(note)") }
        }
    }
}
