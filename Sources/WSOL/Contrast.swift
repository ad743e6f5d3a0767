// One of the choices that define a WSOL model and its losses (METHOD.md sections 1 and 2): stored in
// checkpoints' sidecars and run configs, so every case has a stable JSON name.

/// Which contrast loss shapes Mf2: the paper's PNSC or BAS's ratio loss (for the ablations).
public enum Contrast: String, Codable, CaseIterable, Sendable { case pnsc, bas }
