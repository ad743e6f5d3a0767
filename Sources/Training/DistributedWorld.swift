import Foundation
import RunStore

/// Where this process stands among the training processes, read from the variables PyTorch's
/// launchers set (torchrun, `wsol train --nproc-per-node`): RANK, WORLD_SIZE, LOCAL_RANK,
/// MASTER_ADDR, MASTER_PORT.
public struct DistributedWorld: Equatable, Sendable {
    public static let maxWorldSize = 4096
    public var rank: Int
    public var size: Int
    public var localRank: Int
    public var masterAddress: String
    public var masterPort: Int
    /// Under torchrun (TORCHELASTIC_USE_AGENT_STORE=True) its agent already serves the TCPStore on
    /// MASTER_PORT: the ranks join it under this prefix, as PyTorch's own workers do. Empty otherwise.
    public var storePrefix = ""

    public init(rank: Int, size: Int, localRank: Int, masterAddress: String, masterPort: Int) {
        self.rank = rank
        self.size = size
        self.localRank = localRank
        self.masterAddress = masterAddress
        self.masterPort = masterPort
    }

    public var isMain: Bool { rank == 0 }

    /// nil when WORLD_SIZE is not set (a plain single-process run); a TrainingError (exit 2) naming the
    /// variable when one is missing or out of range.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws
        -> DistributedWorld? {
        guard env["WORLD_SIZE"] != nil else { return nil }
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = env[key] else {
                throw TrainingError("environment: WORLD_SIZE is set but \(key) is not; start workers with "
                    + "torchrun or wsol train --nproc-per-node", exitCode: 2)
            }
            guard let value = Int(text), range.contains(value) else {
                throw TrainingError("environment: \(key)=\(text) is not an integer in \(range.lowerBound)..."
                    + "\(range.upperBound)", exitCode: 2)
            }
            return value
        }
        let size = try int("WORLD_SIZE", 1...maxWorldSize)
        let rank = try int("RANK", 0...(size - 1))
        let localRank = env["LOCAL_RANK"] == nil ? rank : try int("LOCAL_RANK", 0...(size - 1))
        let port = try int("MASTER_PORT", 1...65535)
        guard let address = env["MASTER_ADDR"], !address.isEmpty, address.utf8.count <= 255 else {
            throw TrainingError("environment: MASTER_ADDR must name rank 0's host (set by torchrun)",
                                exitCode: 2)
        }
        var world = DistributedWorld(rank: rank, size: size, localRank: localRank, masterAddress: address,
                                     masterPort: port)
        if env["TORCHELASTIC_USE_AGENT_STORE"] == "True" {
            let attempt = env["TORCHELASTIC_RESTART_COUNT"].flatMap { Int($0) } ?? 0
            world.storePrefix = "/worker/attempt_\(attempt)/wsol/"
        }
        return world
    }
}
