import Models
import NN

/// The choices that define a WSOL model and its losses (METHOD.md sections 1 and 2). Stored in
/// checkpoints' sidecars and run configs, so every field has a stable JSON name.

public enum Method: String, Codable, CaseIterable, Sendable {
    /// CAM: L_cls only; the map is F3 at the selected class.
    case cam
    /// BAS-Ext: the ratio (background activation suppression) loss.
    case bas
    /// The paper: soft fusion of shallow and deep maps plus positive-negative sample contrast.
    case sfpnsc
}

/// Which contrast loss shapes Mf2: the paper's PNSC or BAS's ratio loss (for the ablations).
public enum Contrast: String, Codable, CaseIterable, Sendable { case pnsc, bas }

/// What the background pass runs on sg(F2) x (1 - Mf2): the whole f2 block (BAS) or only the class
/// head (the paper's eq. 6, with F2 then the backbone's last output and F3 at its size).
public enum BackgroundPath: String, Codable, CaseIterable, Sendable {
    case f2block
    case head
}

/// BatchNorm in the background pass: batch statistics (a training-mode copy, BAS) or the running
/// statistics (an eval-mode copy).
public enum BackgroundBatchNorm: String, Codable, CaseIterable, Sendable {
    case batch, running

    public var detachedPass: DetachedPass {
        self == .batch ? .batchStatistics : .runningStatistics
    }
}

/// How many maps G1 and G2 make: one per class (BAS, the paper) or one class-agnostic map [ours],
/// trained on every image instead of only its class's (docs/RESULTS.md, section 4).
public enum MaskChannels: String, Codable, CaseIterable, Sendable { case classes, one }

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

/// The dataset family, which picks BAS's loss weights and the evaluation defaults.
public enum DatasetFamily: String, Codable, Sendable {
    /// CUB-200-2011 and any custom dataset.
    case cubLike = "cub"
    case ilsvrc
}
