import NN

// One of the choices that define a WSOL model and its losses (METHOD.md sections 1 and 2): stored in
// checkpoints' sidecars and run configs, so every case has a stable JSON name.

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
