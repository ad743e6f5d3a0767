import Foundation
import PackagePlugin

/// Compiles each `proto/*.proto` of a target to C++ with Debian's `/usr/bin/protoc` into the work
/// folder's `include/`, which SwiftPM (tools version 6.3 with experimentalCGen) puts on the target's
/// header path and whose `.pb.cc` files it compiles.
///
/// The hand-written `src/*.cpp` include the generated headers, but SwiftPM 6.3 does not order the
/// compilation of a target's own sources after its plugin's commands (a clean build then races and
/// fails with "'*.pb.h' file not found"). So they are excluded from the target and compiled through a
/// generated one-line unit each (`#include "<source>"`), written only once protoc's headers exist:
/// diagnostics still name the real source file.
@main
struct ProtocPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let protoc = URL(filePath: "/usr/bin/protoc")
        guard FileManager.default.isExecutableFile(atPath: protoc.path) else {
            throw PluginError("\(protoc.path) not found: install protobuf-compiler (make setup)")
        }
        let protoDir = target.directoryURL.appending(path: "proto")
        let sourceDir = target.directoryURL.appending(path: "src")
        let work = context.pluginWorkDirectoryURL
        let includeDir = work.appending(path: "include")
        let protos = try files(in: protoDir, ending: ".proto")
        var headers: [URL] = []
        var commands: [Command] = protos.map { proto in
            let stem = proto.deletingPathExtension().lastPathComponent
            let header = includeDir.appending(path: "\(stem).pb.h")
            headers.append(header)
            // Every .proto is an input: one may import another, and a change must regenerate both.
            return .buildCommand(
                displayName: "protoc \(proto.lastPathComponent)",
                executable: protoc,
                arguments: ["--proto_path=\(protoDir.path)", "--cpp_out=\(includeDir.path)", proto.path],
                inputFiles: protos,
                outputFiles: [includeDir.appending(path: "\(stem).pb.cc"), header]
            )
        }
        // sh -c SCRIPT SOURCE UNIT: $0 is the source, $1 the unit to write.
        let writeUnit = "mkdir -p \"$(dirname \"$1\")\" && printf '#include \"%s\"\\n' \"$0\" > \"$1\""
        for source in try files(in: sourceDir, ending: ".cpp") {
            let unit = work.appending(path: "units/\(source.deletingPathExtension().lastPathComponent).cc")
            commands.append(.buildCommand(
                displayName: "unit for \(source.lastPathComponent)",
                executable: URL(filePath: "/bin/sh"),
                arguments: ["-c", writeUnit, source.path, unit.path],
                inputFiles: [source] + headers,
                outputFiles: [unit]
            ))
        }
        return commands
    }

    private func files(in directory: URL, ending suffix: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(suffix) }.sorted().map { directory.appending(path: $0) }
    }
}

struct PluginError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
