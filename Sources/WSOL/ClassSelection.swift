import Models
import Torch

/// Select (METHOD.md section 1): which class channel(s) of a per-class map become the map.
public enum ClassSelection {
    /// The ground-truth class (training; GT-known Loc; the full-image protocol).
    case groundTruth(Tensor)
    /// The top-1 predicted class.
    case top1
    /// The mean of the top-k predicted classes' channels [BAS].
    case topK(Int)

    /// The selected class indices [B, k] for class scores S [B, C].
    func indices(scores: Tensor) throws -> Tensor {
        switch self {
        case .groundTruth(let labels): return try labels.view([-1, 1])
        case .top1: return try scores.argmax(dim: 1, keepDim: true)
        case .topK(let k): return try scores.topk(min(k, scores.shape[1]), dim: 1).indices
        }
    }

    /// The mean over the selected channels of `maps` [B, C, H, W]: [B, 1, H, W]. A map with one
    /// channel is class-agnostic (`--mask-channels one`): every selection gives that channel.
    func select(_ maps: Tensor, scores: Tensor) throws -> Tensor {
        if maps.shape[1] == 1 { return maps }
        let index = try indices(scores: scores)
        let (b, k, h, w) = (maps.shape[0], index.shape[1], maps.shape[2], maps.shape[3])
        let expanded = try index.view([b, k, 1, 1]).expand([b, k, h, w])
        return try maps.gather(dim: 1, index: expanded).mean(dims: [1], keepDim: true)
    }
}

/// `--class-mode`: how evaluation picks the class whose map localizes (METHOD.md section 4).
public enum ClassMode: String, Codable, CaseIterable, Sendable {
    case gt, top1, topk

    /// METHOD.md's defaults: `bas` and `sfpnsc` on CUB-like data use the mean of the top-k channels,
    /// k = min(200, C) (VGG: min(80, C)) [BAS]; on ILSVRC the ground-truth channel. CAM uses the ground
    /// truth (GT-known) and the top-1 class (Top-1/Top-5 Loc): `gt` here, the evaluator adds top-1.
    public static func defaults(method: Method, architecture: Architecture, dataset: DatasetFamily,
                                numClasses: Int) -> (mode: ClassMode, k: Int) {
        guard method != .cam, dataset == .cubLike else { return (.gt, 1) }
        return (.topk, min(architecture == .vgg16 ? 80 : 200, numClasses))
    }

    /// The selection for a batch with these labels.
    public func selection(labels: Tensor, k: Int) -> ClassSelection {
        switch self {
        case .gt: return .groundTruth(labels)
        case .top1: return .top1
        case .topk: return .topK(k)
        }
    }
}
