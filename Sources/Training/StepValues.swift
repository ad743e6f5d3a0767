/// One training step's scalars: the loss terms (and their total, `loss`) and the task's diagnostics
/// (e.g. the mean of Mf2). With several processes both are replaced by the world's means.
struct StepValues {
    var losses: [String: Double]
    var diagnostics: [String: Double]

    /// Both, under their own names (a loss term and a diagnostic never share one).
    var all: [String: Double] { losses.merging(diagnostics) { loss, _ in loss } }
}
