// One of the choices that define a WSOL model and its losses (METHOD.md sections 1 and 2): stored in
// checkpoints' sidecars and run configs, so every case has a stable JSON name.

public enum Method: String, Codable, CaseIterable, Sendable {
    /// CAM: L_cls only; the map is F3 at the selected class.
    case cam
    /// BAS-Ext: the ratio (background activation suppression) loss.
    case bas
    /// The paper: soft fusion of shallow and deep maps plus positive-negative sample contrast.
    case sfpnsc
}
