// swift-tools-version: 6.3;(experimentalCGen)
// The TensorBoard event encoder: protoc-generated C++ (libprotobuf) behind a header that names no
// protobuf type. A package of its own because SwiftPM compiles C++ that a build-tool plugin generates
// only under the experimental `experimentalCGen` tools-version feature (6.3); keeping it here leaves
// the root manifest at its own tools version.
import PackageDescription

let package = Package(
    name: "CxxTensorBoard",
    products: [.library(name: "CTensorBoard", targets: ["CTensorBoard"])],
    targets: [
        // Runs /usr/bin/protoc (Debian's protobuf-compiler) on proto/*.proto at build time.
        .plugin(name: "ProtocPlugin", capability: .buildTool()),
        .target(
            name: "CTensorBoard",
            path: ".",
            // No sources of its own: the plugin generates the protobuf code and compiles src/*.cpp
            // through generated units, after protoc has run (see ProtocPlugin.swift).
            exclude: ["proto", "Plugins", "src"],
            publicHeadersPath: "include",
            linkerSettings: [.linkedLibrary("protobuf")],
            plugins: ["ProtocPlugin"]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
