// One of the choices that define a WSOL model and its losses (METHOD.md sections 1 and 2): stored in
// checkpoints' sidecars and run configs, so every case has a stable JSON name.

/// The dataset family, which picks BAS's loss weights and the evaluation defaults.
public enum DatasetFamily: String, Codable, Sendable {
    /// CUB-200-2011 and any custom dataset.
    case cubLike = "cub"
    case ilsvrc
}
