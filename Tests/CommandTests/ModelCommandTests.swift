import Foundation
import TestSupport
import Testing

/// `wsol model`: the method options as typed on the command line, refusals, weights reports.
@Suite(.serialized) struct ModelCommandTests {
    init() { configureTestRuntime }

    func run(_ arguments: [String]) throws -> (status: Int32, json: [String: Any]?) {
        let result = try runProcess(wsolBinary, ["model"] + arguments)
        let line = result.output.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init) ?? ""
        let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return (result.status, json)
    }

    @Test func optionsReachTheModel() throws {
        let (status, json) = try run(["--arch", "resnet18", "--method", "sfpnsc", "--num-classes", "3",
                                      "--head-width", "8", "--image-size", "64", "--a1", "0.05", "--a2", "0.05",
                                      "--bg-bn", "running", "--bg-path", "head", "--pnsc-detach-s", "off", "--pnsc-space", "probabilities",
                                      "--f1-tap", "layer2", "--w-sf", "0.5", "--json"])
        #expect(status == 0)
        let options = try #require(json?["options"] as? [String: Any])
        #expect(options["a1"] as? Double == 0.05 && options["bg_bn"] as? String == "running")
        #expect(options["bg_path"] as? String == "head" && options["pnsc_detach_s"] as? Bool == false)
        #expect(options["w_sf"] as? Double == 0.5 && options["pnsc_space"] as? String == "probabilities")
        let maps = try #require(json?["maps"] as? [String: [Int]])
        // --bg-path head: G2 reads the backbone's output, so Mf2 has F3's size; F1 at layer2 is 8x8.
        #expect(maps["mf2"] == [1, 4, 4] && maps["f3"] == [3, 4, 4] && maps["mf1"] == [1, 8, 8])
        #expect(json?["f1_tap"] as? String == "layer2")
    }

    @Test func ablationLossTerms() throws {
        let base = ["--arch", "resnet18", "--num-classes", "2", "--head-width", "4", "--image-size", "64", "--json"]
        let plusPNSC = try run(base + ["--method", "bas", "--contrast", "pnsc"]).json?["loss_terms"] as? [String]
        #expect(plusPNSC == ["cls", "pnsc_positive", "pnsc_negative", "bas_area"])
        let plusSF = try run(base + ["--method", "sfpnsc", "--contrast", "bas"]).json?["loss_terms"] as? [String]
        #expect(plusSF == ["cls", "sf_shallow", "sf_deep", "sf_area_shallow", "sf_area_deep", "bas_foreground_cls",
                           "bas_ratio", "bas_area"])
        let floored = try run(base + ["--method", "bas", "--area-floor", "0.1"]).json?["loss_terms"] as? [String]
        #expect(floored == ["cls", "bas_foreground_cls", "bas_ratio", "bas_area", "area_floor"])
        let cam = try run(base + ["--method", "cam"]).json?["loss_terms"] as? [String]
        #expect(cam == ["cls"])
    }

    @Test(arguments: [["--method", "sfpnsc", "--w-pnsc", "0"], ["--method", "cam", "--map", "mean"],
                      ["--method", "bas", "--image-size", "100"], ["--method", "bas", "--f1-tap", "layer9"],
                      ["--method", "bas", "--contrast", "nce"], ["--method", "bas", "--head-width", "0"],
                      ["--method", "cam", "--w-fg-cls", "0.5"], ["--method", "bas", "--w-fg-cls", "0.5"],
                      ["--method", "cam", "--mask-channels", "one"], ["--method", "sfpnsc", "--w-fg-cls", "-1"],
                      ["--method", "cam", "--area-floor", "0.1"], ["--method", "bas", "--area-floor", "1"],
                      ["--method", "bas", "--area-floor", "0.1", "--area-floor-weight", "nan"],
                      ["--method", "cam", "--pnsc-space", "probabilities"],
                      ["--method", "sfpnsc", "--contrast", "bas", "--pnsc-space", "probabilities"],
                      ["--method", "sfpnsc", "--pnsc-space", "cosine"],
                      ["--method", "bas", "--pnsc-target", "label"], ["--method", "cam", "--pnsc-target", "label"],
                      ["--method", "bas", "--sf-gate", "deep"], ["--method", "sfpnsc", "--no-soft-fusion",
                      "--sf-gate", "deep"], ["--method", "cam", "--sf-gate", "deep"], ["--method", "bas", "--map", "gated"],
                      ["--method", "cam", "--map", "fused"],
                      ["--method", "sfpnsc", "--shallow-gradient"], ["--method", "bas", "--detach-generators",
                      "--shallow-gradient"], ["--method", "bas", "--shallow-ratio", "1"],
                      ["--method", "sfpnsc", "--no-soft-fusion", "--shallow-ratio", "1"],
                      ["--method", "sfpnsc", "--shallow-ratio", "-1"]])
    func refusalsExitTwo(_ extra: [String]) throws {
        #expect(try run(["--arch", "resnet18", "--num-classes", "2"] + extra).status == 2)
    }
}
