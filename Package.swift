// swift-tools-version:6.0
// The WSOL toolkit: Swift over libtorch through a thin C++ bridge (see ARCHITECTURE.md).
import Foundation
import PackageDescription

/// `LIBTORCH=<dir>` builds against another libtorch (>= 2.1, CPU or CUDA); the default is Debian's
/// libtorch-dev. The Makefile gives each LIBTORCH its own scratch path so objects never mix.
let libtorchRoot = ProcessInfo.processInfo.environment["LIBTORCH"].flatMap { $0.isEmpty ? nil : $0 }

let torchCompileFlags: [String] = {
    guard let root = libtorchRoot else {
        return ["-isystem", "/usr/include/torch/csrc/api/include", "-isystem", "/usr/include/opencv4"]
    }
    return ["-isystem", "\(root)/include", "-isystem", "\(root)/include/torch/csrc/api/include",
            "-isystem", "/usr/include/opencv4"]
}()

let torchLinkFlags: [String] = {
    guard let root = libtorchRoot else { return [] }
    // An absolute rpath: $ORIGIN-relative ones break because .build/debug is a symlink.
    var flags = ["-L\(root)/lib", "-Xlinker", "-rpath", "-Xlinker", "\(root)/lib"]
    if FileManager.default.fileExists(atPath: "\(root)/lib/libtorch_cuda.so") {
        // Without --no-as-needed the linker drops torch_cuda and CUDA is silently absent.
        flags += ["-Xlinker", "--no-as-needed", "-ltorch_cuda", "-Xlinker", "--as-needed"]
    }
    return flags
}()

/// Interop mode is contagious: every Swift target that (transitively) imports the bridge needs it.
let cxxInterop: [SwiftSetting] = [.interoperabilityMode(.Cxx)]

let package = Package(
    name: "WSOL",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "wsol", targets: ["wsol"]),
        .library(name: "Torch", targets: ["Torch"]),
        .library(name: "Datasets", targets: ["Datasets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The TensorBoard event encoder (protoc-generated C++); its own package: see its manifest.
        .package(path: "CxxTensorBoard"),
    ],
    targets: [
        .target(
            name: "CTorchBridge",
            path: "CxxBridge",
            sources: ["src"],
            publicHeadersPath: "include",
            cxxSettings: [.unsafeFlags(torchCompileFlags + ["-Wno-deprecated-declarations"])],
            linkerSettings: [
                .linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10"),
                .linkedLibrary("opencv_core"), .linkedLibrary("opencv_imgproc"),
                .linkedLibrary("opencv_imgcodecs"), .linkedLibrary("jpeg"), .linkedLibrary("dl"),
                .unsafeFlags(torchLinkFlags),
            ]
        ),
        .target(name: "Torch", dependencies: ["CTorchBridge"], swiftSettings: cxxInterop),
        .target(name: "WeightsIO", dependencies: ["Torch"], swiftSettings: cxxInterop),
        .target(name: "NN", dependencies: ["Torch", "WeightsIO"], swiftSettings: cxxInterop),
        .target(name: "Models", dependencies: ["NN", "Torch"], swiftSettings: cxxInterop),
        .target(name: "WSOL", dependencies: ["NN", "Models", "Torch", "WeightsIO"],
                swiftSettings: cxxInterop),
        // The run folder's owner: its layout, config.json and the checkpoint set, typed.
        .target(name: "RunStore", dependencies: ["WSOL", "Models", "OutputFiles"],
                swiftSettings: cxxInterop),
        .target(name: "Inference",
                dependencies: ["WSOL", "Evaluation", "Datasets", "Models", "Torch", "WeightsIO",
                               "Visualization", "RunStore"],
                swiftSettings: cxxInterop),
        .target(name: "Training",
                dependencies: ["Inference", "WSOL", "Evaluation", "Datasets", "Models", "NN", "Torch",
                               "WeightsIO", "TensorBoard", "RunStore"],
                swiftSettings: cxxInterop),
        .target(name: "Evaluation", dependencies: ["Torch", "Datasets"], swiftSettings: cxxInterop),
        // The output-folder rule; Foundation only, so every writer can sit above it.
        .target(name: "OutputFiles"),
        .target(name: "Datasets", dependencies: ["Torch", "OutputFiles"], swiftSettings: cxxInterop),
        // The dataset generators (`wsol synth`, `wsol make-dataset`) and their CUB-layout writer.
        .target(name: "Synthesis", dependencies: ["Datasets", "OutputFiles", "Torch"],
                swiftSettings: cxxInterop),
        .target(name: "Visualization", dependencies: ["Torch", "Evaluation", "Datasets"],
                swiftSettings: cxxInterop),
        .target(
            name: "WSOLCommands",
            dependencies: [
                "Torch", "WeightsIO", "NN", "Models", "Evaluation", "Datasets", "WSOL", "Inference",
                "Training", "Visualization", "RunStore", "Synthesis", "OutputFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: cxxInterop
        ),
        .target(
            name: "TensorBoard",
            dependencies: [.product(name: "CTensorBoard", package: "CxxTensorBoard")],
            swiftSettings: cxxInterop
        ),
        .executableTarget(name: "wsol", dependencies: ["WSOLCommands"], swiftSettings: cxxInterop),
        .target(name: "TestSupport", dependencies: ["Torch", "Datasets"], path: "Tests/TestSupport",
                swiftSettings: cxxInterop),
        .testTarget(name: "TorchTests", dependencies: ["Torch", "TestSupport"], swiftSettings: cxxInterop),
        .testTarget(name: "WeightsIOTests", dependencies: ["WeightsIO", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(name: "VisualizationTests",
                    dependencies: ["Visualization", "Evaluation", "Datasets", "Synthesis", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(name: "NNTests", dependencies: ["NN", "Models", "WeightsIO", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(name: "ModelTests", dependencies: ["Models", "NN", "WeightsIO", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(name: "EvaluationTests",
                    dependencies: ["Evaluation", "Datasets", "WSOLCommands", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Synthesis", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(name: "SynthesisTests", dependencies: ["Synthesis", "Datasets", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(name: "OutputFilesTests", dependencies: ["OutputFiles", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(name: "WSOLTests", dependencies: ["WSOL", "Models", "NN", "WeightsIO", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(name: "InferenceTests",
                    dependencies: ["Inference", "WSOL", "Models", "Torch", "WeightsIO", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(name: "TrainingTests",
                    dependencies: ["Training", "RunStore", "Inference", "WSOL", "Models", "NN", "Datasets",
                                   "Synthesis", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(name: "CommandTests",
                    dependencies: ["WSOLCommands", "Datasets", "Synthesis", "OutputFiles", "Inference",
                                   "WSOL", "WeightsIO", "TestSupport"],
                    swiftSettings: cxxInterop),
        .testTarget(
            name: "TensorBoardTests", dependencies: ["TensorBoard", "TestSupport", "Torch"],
            swiftSettings: cxxInterop
        ),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx17
)
