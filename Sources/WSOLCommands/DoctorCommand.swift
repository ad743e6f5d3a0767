import ArgumentParser
import Foundation
import Torch

/// `wsol doctor`: what libtorch, BLAS, OpenCV and devices this process actually uses.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Report libtorch, CUDA, threads, the BLAS library in use and OpenCV; "
            + "exit 1 if libtorch cannot run."
    )

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let check = Result { try smokeTest() }
        let report: [(String, String)] = [
            ("libtorch", TorchRuntime.libtorchVersion),
            ("cuda", TorchRuntime.cudaIsAvailable ? "yes" : "no"),
            ("cuda_devices", String(TorchRuntime.cudaDeviceCount)),
            ("threads", String(TorchRuntime.numThreads)),
            ("blas", TorchRuntime.blasLibrary),
            ("opencv", TorchRuntime.opencvVersion),
            ("check", checkLine(check)),
        ]
        if json {
            var object: [String: Any] = Dictionary(uniqueKeysWithValues: report)
            object["cuda"] = TorchRuntime.cudaIsAvailable
            object["cuda_devices"] = TorchRuntime.cudaDeviceCount
            object["threads"] = TorchRuntime.numThreads
            let data = try JSONSerialization.data(withJSONObject: object,
                                                  options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for (key, value) in report {
                print("\(key.padding(toLength: 13, withPad: " ", startingAt: 0)) \(value)")
            }
        }
        if case .failure(let error) = check {
            throw CommandFailure("libtorch cannot run: \(error)", exitCode: 1)
        }
    }

    private func checkLine(_ result: Result<Void, Error>) -> String {
        switch result {
        case .success: return "ok (matmul and conv2d with gradient)"
        case .failure(let error): return "FAILED: \(error)"
        }
    }

    /// A tiny forward and backward pass: proves the library loads, computes and differentiates.
    private func smokeTest() throws {
        let a = try Tensor([Float](repeating: 1, count: 64 * 64), shape: [64, 64])
        let product = try a.matmul(a)
        guard try product.sum().item() == 64 * 64 * 64 else { throw TorchError("matmul gave a wrong sum") }
        let weight = try Tensor([Float](repeating: 0.5, count: 9), shape: [1, 1, 3, 3]).requiringGrad()
        let input = try Tensor([Float](repeating: 1, count: 25), shape: [1, 1, 5, 5])
        try input.conv2d(weight: weight).sum().backward()
        guard let grad = weight.grad, try grad.sum().item() == 81 else {
            throw TorchError("conv2d gradient is wrong")
        }
    }
}
