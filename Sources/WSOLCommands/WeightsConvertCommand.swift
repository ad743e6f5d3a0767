import ArgumentParser
import WeightsIO

/// `wsol weights convert IN OUT.safetensors`.
struct WeightsConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write any readable weight file as safetensors (float16/bfloat16 become float32)."
    )

    @Argument(help: "A .safetensors or PyTorch .pth file.")
    var input: String

    @Argument(help: "The .safetensors file to write.")
    var output: String

    func run() throws {
        guard output.hasSuffix(".safetensors") else {
            throw CommandFailure("\(output): the output must end in .safetensors", exitCode: 2)
        }
        let dict = try WeightsFile.load(input)
        var metadata = dict.metadata
        metadata["converted_from"] = input
        do {
            try WeightsFile.saveSafetensors(dict, to: output, metadata: metadata)
        } catch let error as WeightsError {
            throw CommandFailure(error.message, exitCode: 1)
        }
        print("wrote \(output): \(dict.count) tensors, \(dict.parameterCount) parameters")
    }
}
