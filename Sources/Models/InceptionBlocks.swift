import NN
import Torch

/// Convolution without bias + BatchNorm (eps 0.001) + ReLU: keys `<name>.conv.weight`, `<name>.bn.*`.
public final class BasicConv2d: Module, UnaryLayer {
    public let conv: Conv2d
    public let bn: BatchNorm2d

    public init(_ inChannels: Int, _ outChannels: Int, kernel: [Int], stride: [Int] = [1, 1],
                padding: [Int] = [0, 0]) throws {
        conv = try Conv2d(inChannels, outChannels, kernelSize: kernel, stride: stride, padding: padding,
                          bias: false)
        bn = try BatchNorm2d(outChannels, eps: 0.001)
        super.init()
        registerChild("conv", conv)
        registerChild("bn", bn)
    }

    public convenience init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1,
                            padding: Int = 0) throws {
        try self.init(inChannels, outChannels, kernel: [kernel, kernel], stride: [stride, stride],
                      padding: [padding, padding])
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try bn(conv(x)).relu() }
}

/// A Mixed block: named branches whose outputs are concatenated along channels. Each branch's field
/// is named as its torchvision key (`branch5x5_1`), so a reader matches the two at a glance.
open class InceptionBlock: Module, UnaryLayer {
    open func branches(_ x: Tensor) throws -> [Tensor] { fatalError("subclass") }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try Tensor.cat(branches(x), dim: 1) }

    /// Registers each convolution under its key, in the given (torchvision's) order.
    func registerBranches(_ branches: KeyValuePairs<String, BasicConv2d>) {
        for (name, branch) in branches { registerChild(name, branch) }
    }
}

/// Mixed_5b/5c/5d.
public final class InceptionA: InceptionBlock {
    let branch1x1: BasicConv2d
    let branch5x5_1: BasicConv2d, branch5x5_2: BasicConv2d
    let branch3x3dbl_1: BasicConv2d, branch3x3dbl_2: BasicConv2d, branch3x3dbl_3: BasicConv2d
    let branch_pool: BasicConv2d

    public init(_ inChannels: Int, poolFeatures: Int) throws {
        branch1x1 = try BasicConv2d(inChannels, 64, kernel: 1)
        branch5x5_1 = try BasicConv2d(inChannels, 48, kernel: 1)
        branch5x5_2 = try BasicConv2d(48, 64, kernel: 5, padding: 2)
        branch3x3dbl_1 = try BasicConv2d(inChannels, 64, kernel: 1)
        branch3x3dbl_2 = try BasicConv2d(64, 96, kernel: 3, padding: 1)
        branch3x3dbl_3 = try BasicConv2d(96, 96, kernel: 3, padding: 1)
        branch_pool = try BasicConv2d(inChannels, poolFeatures, kernel: 1)
        super.init()
        registerBranches([
            "branch1x1": branch1x1,
            "branch5x5_1": branch5x5_1, "branch5x5_2": branch5x5_2,
            "branch3x3dbl_1": branch3x3dbl_1, "branch3x3dbl_2": branch3x3dbl_2,
            "branch3x3dbl_3": branch3x3dbl_3,
            "branch_pool": branch_pool,
        ])
    }

    public override func branches(_ x: Tensor) throws -> [Tensor] {
        [
            try branch1x1(x),
            try branch5x5_2(branch5x5_1(x)),
            try branch3x3dbl_3(branch3x3dbl_2(branch3x3dbl_1(x))),
            try branch_pool(x.avgPool2d(kernelSize: [3, 3], stride: [1, 1], padding: [1, 1])),
        ]
    }
}

/// Mixed_6a (grid reduction 35 -> 17). `strideOne` is the WSOL variant (METHOD.md section 1).
public final class InceptionB: InceptionBlock {
    let branch3x3: BasicConv2d
    let branch3x3dbl_1: BasicConv2d, branch3x3dbl_2: BasicConv2d, branch3x3dbl_3: BasicConv2d
    let poolKernel: [Int], poolStride: [Int], poolPadding: [Int]

    public init(_ inChannels: Int, strideOne: Bool = false) throws {
        let (s, p) = strideOne ? (1, 1) : (2, 0)
        branch3x3 = try BasicConv2d(inChannels, 384, kernel: 3, stride: s, padding: p)
        branch3x3dbl_1 = try BasicConv2d(inChannels, 64, kernel: 1)
        branch3x3dbl_2 = try BasicConv2d(64, 96, kernel: 3, padding: 1)
        branch3x3dbl_3 = try BasicConv2d(96, 96, kernel: 3, stride: s, padding: p)
        (poolKernel, poolStride, poolPadding) = ([3, 3], [s, s], [p, p])
        super.init()
        registerBranches([
            "branch3x3": branch3x3,
            "branch3x3dbl_1": branch3x3dbl_1, "branch3x3dbl_2": branch3x3dbl_2,
            "branch3x3dbl_3": branch3x3dbl_3,
        ])
    }

    public override func branches(_ x: Tensor) throws -> [Tensor] {
        [
            try branch3x3(x),
            try branch3x3dbl_3(branch3x3dbl_2(branch3x3dbl_1(x))),
            try x.maxPool2d(kernelSize: poolKernel, stride: poolStride, padding: poolPadding),
        ]
    }
}

/// Mixed_6b-6e (factorized 7x7).
public final class InceptionC: InceptionBlock {
    let branch1x1: BasicConv2d
    let branch7x7_1: BasicConv2d, branch7x7_2: BasicConv2d, branch7x7_3: BasicConv2d
    let branch7x7dbl_1: BasicConv2d, branch7x7dbl_2: BasicConv2d, branch7x7dbl_3: BasicConv2d
    let branch7x7dbl_4: BasicConv2d, branch7x7dbl_5: BasicConv2d
    let branch_pool: BasicConv2d

    public init(_ inChannels: Int, channels7x7 c7: Int) throws {
        branch1x1 = try BasicConv2d(inChannels, 192, kernel: 1)
        branch7x7_1 = try BasicConv2d(inChannels, c7, kernel: 1)
        branch7x7_2 = try BasicConv2d(c7, c7, kernel: [1, 7], padding: [0, 3])
        branch7x7_3 = try BasicConv2d(c7, 192, kernel: [7, 1], padding: [3, 0])
        branch7x7dbl_1 = try BasicConv2d(inChannels, c7, kernel: 1)
        branch7x7dbl_2 = try BasicConv2d(c7, c7, kernel: [7, 1], padding: [3, 0])
        branch7x7dbl_3 = try BasicConv2d(c7, c7, kernel: [1, 7], padding: [0, 3])
        branch7x7dbl_4 = try BasicConv2d(c7, c7, kernel: [7, 1], padding: [3, 0])
        branch7x7dbl_5 = try BasicConv2d(c7, 192, kernel: [1, 7], padding: [0, 3])
        branch_pool = try BasicConv2d(inChannels, 192, kernel: 1)
        super.init()
        registerBranches([
            "branch1x1": branch1x1,
            "branch7x7_1": branch7x7_1, "branch7x7_2": branch7x7_2, "branch7x7_3": branch7x7_3,
            "branch7x7dbl_1": branch7x7dbl_1, "branch7x7dbl_2": branch7x7dbl_2,
            "branch7x7dbl_3": branch7x7dbl_3, "branch7x7dbl_4": branch7x7dbl_4,
            "branch7x7dbl_5": branch7x7dbl_5,
            "branch_pool": branch_pool,
        ])
    }

    public override func branches(_ x: Tensor) throws -> [Tensor] {
        [
            try branch1x1(x),
            try branch7x7_3(branch7x7_2(branch7x7_1(x))),
            try branch7x7dbl_5(branch7x7dbl_4(branch7x7dbl_3(branch7x7dbl_2(branch7x7dbl_1(x))))),
            try branch_pool(x.avgPool2d(kernelSize: [3, 3], stride: [1, 1], padding: [1, 1])),
        ]
    }
}

/// Mixed_7a (grid reduction 17 -> 8). `paddingOne` is the WSOL variant (METHOD.md section 1).
public final class InceptionD: InceptionBlock {
    let branch3x3_1: BasicConv2d, branch3x3_2: BasicConv2d
    let branch7x7x3_1: BasicConv2d, branch7x7x3_2: BasicConv2d, branch7x7x3_3: BasicConv2d
    let branch7x7x3_4: BasicConv2d
    let poolPadding: [Int]

    public init(_ inChannels: Int, paddingOne: Bool = false) throws {
        let p = paddingOne ? 1 : 0
        branch3x3_1 = try BasicConv2d(inChannels, 192, kernel: 1)
        branch3x3_2 = try BasicConv2d(192, 320, kernel: 3, stride: 2, padding: p)
        branch7x7x3_1 = try BasicConv2d(inChannels, 192, kernel: 1)
        branch7x7x3_2 = try BasicConv2d(192, 192, kernel: [1, 7], padding: [0, 3])
        branch7x7x3_3 = try BasicConv2d(192, 192, kernel: [7, 1], padding: [3, 0])
        branch7x7x3_4 = try BasicConv2d(192, 192, kernel: 3, stride: 2, padding: p)
        poolPadding = [p, p]
        super.init()
        registerBranches([
            "branch3x3_1": branch3x3_1, "branch3x3_2": branch3x3_2,
            "branch7x7x3_1": branch7x7x3_1, "branch7x7x3_2": branch7x7x3_2,
            "branch7x7x3_3": branch7x7x3_3, "branch7x7x3_4": branch7x7x3_4,
        ])
    }

    public override func branches(_ x: Tensor) throws -> [Tensor] {
        [
            try branch3x3_2(branch3x3_1(x)),
            try branch7x7x3_4(branch7x7x3_3(branch7x7x3_2(branch7x7x3_1(x)))),
            try x.maxPool2d(kernelSize: [3, 3], stride: [2, 2], padding: poolPadding),
        ]
    }
}

/// Mixed_7b/7c (expanded filter bank).
public final class InceptionE: InceptionBlock {
    let branch1x1: BasicConv2d
    let branch3x3_1: BasicConv2d, branch3x3_2a: BasicConv2d, branch3x3_2b: BasicConv2d
    let branch3x3dbl_1: BasicConv2d, branch3x3dbl_2: BasicConv2d
    let branch3x3dbl_3a: BasicConv2d, branch3x3dbl_3b: BasicConv2d
    let branch_pool: BasicConv2d

    public init(_ inChannels: Int) throws {
        branch1x1 = try BasicConv2d(inChannels, 320, kernel: 1)
        branch3x3_1 = try BasicConv2d(inChannels, 384, kernel: 1)
        branch3x3_2a = try BasicConv2d(384, 384, kernel: [1, 3], padding: [0, 1])
        branch3x3_2b = try BasicConv2d(384, 384, kernel: [3, 1], padding: [1, 0])
        branch3x3dbl_1 = try BasicConv2d(inChannels, 448, kernel: 1)
        branch3x3dbl_2 = try BasicConv2d(448, 384, kernel: 3, padding: 1)
        branch3x3dbl_3a = try BasicConv2d(384, 384, kernel: [1, 3], padding: [0, 1])
        branch3x3dbl_3b = try BasicConv2d(384, 384, kernel: [3, 1], padding: [1, 0])
        branch_pool = try BasicConv2d(inChannels, 192, kernel: 1)
        super.init()
        registerBranches([
            "branch1x1": branch1x1,
            "branch3x3_1": branch3x3_1, "branch3x3_2a": branch3x3_2a, "branch3x3_2b": branch3x3_2b,
            "branch3x3dbl_1": branch3x3dbl_1, "branch3x3dbl_2": branch3x3dbl_2,
            "branch3x3dbl_3a": branch3x3dbl_3a, "branch3x3dbl_3b": branch3x3dbl_3b,
            "branch_pool": branch_pool,
        ])
    }

    public override func branches(_ x: Tensor) throws -> [Tensor] {
        let single = try branch3x3_1(x)
        let double = try branch3x3dbl_2(branch3x3dbl_1(x))
        return [
            try branch1x1(x),
            try Tensor.cat([branch3x3_2a(single), branch3x3_2b(single)], dim: 1),
            try Tensor.cat([branch3x3dbl_3a(double), branch3x3dbl_3b(double)], dim: 1),
            try branch_pool(x.avgPool2d(kernelSize: [3, 3], stride: [1, 1], padding: [1, 1])),
        ]
    }
}

/// The auxiliary classifier on Mixed_6e: torchvision uses it only in training; here it holds the
/// pretrained files' `AuxLogits.*` weights (the WSOL models drop it).
public final class InceptionAux: Module {
    let conv0: BasicConv2d, conv1: BasicConv2d
    let fc: Linear

    public init(_ inChannels: Int, numClasses: Int) throws {
        conv0 = try BasicConv2d(inChannels, 128, kernel: 1)
        conv1 = try BasicConv2d(128, 768, kernel: 5)
        fc = try Linear(768, numClasses)
        super.init()
        registerChild("conv0", conv0)
        registerChild("conv1", conv1)
        registerChild("fc", fc)
    }
}
