import ArgumentParser
import Datasets
import Evaluation
import Foundation
import OutputFiles
import RunStore
import Torch
import Training
import WeightsIO
import WSOL

/// An error whose one-line message is for the user; `exitCode` 1 (failure) or 2 (bad input).
public struct CommandFailure: Error, CustomStringConvertible {
    public let message: String
    public let exitCode: Int32
    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }
    public var description: String { message }
}

/// Runs `wsol` with the given arguments and returns the process exit code: 0 success, 1 failure,
/// 2 bad usage or input (swift-argument-parser's own 64 is mapped to 2).
public enum Entry {
    public static func run(_ arguments: [String]) -> Int32 {
        // No subcommand is a usage error, not a success: the help goes to stderr with exit 2.
        if arguments.isEmpty {
            printError(WSOLCommand.helpMessage())
            return 2
        }
        do {
            try configureRuntime()
            var command = try WSOLCommand.parseAsRoot(joiningNegativeValues(arguments))
            try command.run()
            return 0
        } catch let failure as CommandFailure {
            printError("error: \(failure.message)")
            return failure.exitCode
        } catch let error as OutputFolderError {
            printError("error: \(error.message)")
            return error.refused ? 2 : 1
        } catch let error as TorchError {
            printError("error: \(error.message)")
            return 1
        } catch let error as TrainingError {
            printError("error: \(error.message)")
            return error.exitCode
        } catch let error where isBadInput(error) {
            printError("error: \(error)")
            return 2
        } catch {
            let code = WSOLCommand.exitCode(for: error)
            let message = WSOLCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                return 0
            }
            if code == .validationFailure {
                printError(message)
                return 2
            }
            if !message.isEmpty { printError(message) }
            return code.rawValue == 0 ? 0 : 1
        }
    }

    /// `--epochs -1` as `--epochs=-1`: the parser would take "-1" for an option and report a missing
    /// value; joined, the value reaches the option's range check, which says what is allowed.
    static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var joined: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index],
                next = index + 1 < arguments.endIndex ? arguments[index + 1] : nil
            if argument.hasPrefix("--"), !argument.contains("="), argument != "--", let next,
               next.hasPrefix("-"), Double(next) != nil {
                joined.append(argument + "=" + next)
                index += 2
            } else {
                joined.append(argument)
                index += 1
            }
        }
        return joined
    }

    /// Errors that describe a bad file or metadata line (they name it): exit 2 wherever they surface.
    static func isBadInput(_ error: Error) -> Bool {
        error is WeightsError || error is DatasetError || error is EvaluationError || error is NPYError
            || error is WSOLError
    }

    /// Explicit thread count: Debian's libtorch would otherwise use 1. `WSOL_THREADS` overrides, within
    /// Bounds.threads (malformed or out of range: exit 2 before any work). Freed memory stays in the
    /// process unless `WSOL_RETAIN_MEMORY=0` or the user tunes glibc's malloc themselves.
    static func configureRuntime() throws {
        let environment = ProcessInfo.processInfo.environment
        let cores = min(ProcessInfo.processInfo.activeProcessorCount, Bounds.threads.upperBound)
        let threads = try Bounds.threads(from: environment) ?? cores
        try? TorchRuntime.setNumThreads(max(1, threads))
        if retainsFreedMemory(environment) { TorchRuntime.retainFreedMemory() }
    }

    /// Whether to keep freed memory in the process (TorchRuntime.retainFreedMemory): yes, unless
    /// `WSOL_RETAIN_MEMORY=0` or the environment already sets glibc's own malloc tunables.
    static func retainsFreedMemory(_ environment: [String: String]) -> Bool {
        environment["WSOL_RETAIN_MEMORY"] != "0" && environment["GLIBC_TUNABLES"] == nil
            && !environment.keys.contains { $0.hasPrefix("MALLOC_") && $0.hasSuffix("_") }
    }
}

func printError(_ message: String) {
    // Standard output is block-buffered into pipes: flush it first so an error never lands inside it.
    fflush(stdout)
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
