// One of the choices that define a WSOL model and its losses (METHOD.md sections 1 and 2): stored in
// checkpoints' sidecars and run configs, so every case has a stable JSON name.

/// Which foreground map localizes at test time.
public enum MapSource: String, Codable, CaseIterable, Sendable {
    /// Mf2 (F3 for CAM).
    case deep
    /// Mf1 (needs G1).
    case shallow
    /// The mean of Mf1 and Mf2 upsampled bilinearly to Mf1's size (needs G1).
    case mean
    /// [ours] sqrt(Mf1 x up(Mf2)) at Mf1's size: the shallow map's detail kept only where the deep map
    /// is (needs G1; docs/RESULTS.md section 4).
    case gated
    /// [ours] The mask averaged with the classifier's own CAM on one scale (n: bilinear to the
    /// largest map's size, min-max per image): (n(Mf2) + n(CAM)) / 2, and with G1
    /// (n(Mf2) + n(CAM) + sqrt(n(Mf1) x n(CAM))) / 3, the shallow detail where the class evidence is
    /// (docs/RESULTS.md section 4).
    case fused

    /// Whether the map reads G1's Mf1 (which `fused` uses when the model has it).
    public var needsShallow: Bool { self == .shallow || self == .mean || self == .gated }
}
