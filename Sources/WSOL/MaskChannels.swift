// One of the choices that define a WSOL model and its losses (METHOD.md sections 1 and 2): stored in
// checkpoints' sidecars and run configs, so every case has a stable JSON name.

/// How many maps G1 and G2 make: one per class (BAS, the paper) or one class-agnostic map [ours],
/// trained on every image instead of only its class's (docs/RESULTS.md, section 4).
public enum MaskChannels: String, Codable, CaseIterable, Sendable { case classes, one }
