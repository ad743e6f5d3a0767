import Torch
import Training

/// Turns what a failed collective throws into one line naming this rank: a CollectiveError already
/// does; libtorch errors raised inside backward (sync-BN's all-reduce) get the rank added.
enum DistributedFailure {
    static func naming<T>(_ distributed: DistributedTraining?, _ body: () throws -> T) throws -> T {
        guard let distributed else { return try body() }
        do {
            return try body()
        } catch let error as CollectiveError {
            throw CommandFailure(error.description)
        } catch let error as TorchError {
            let world = distributed.world
            let collective = error.message.contains("allreduce") || error.message.contains("broadcast")
            throw CommandFailure("rank \(world.rank) of \(world.size): \(error.message)"
                + (collective ? "; another rank has probably ended, see its output" : ""))
        }
    }
}
