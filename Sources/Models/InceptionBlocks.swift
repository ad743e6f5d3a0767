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

/// A Mixed block: named branches whose outputs are concatenated along channels.
open class InceptionBlock: Module, UnaryLayer {
    open func branches(_ x: Tensor) throws -> [Tensor] { fatalError("subclass") }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try Tensor.cat(branches(x), dim: 1) }
}

/// Mixed_5b/5c/5d.
public final class InceptionA: InceptionBlock {
    let b1: BasicConv2d, b5a: BasicConv2d, b5b: BasicConv2d, d1: BasicConv2d, d2: BasicConv2d,
        d3: BasicConv2d, pool: BasicConv2d

    public init(_ inChannels: Int, poolFeatures: Int) throws {
        b1 = try BasicConv2d(inChannels, 64, kernel: 1)
        b5a = try BasicConv2d(inChannels, 48, kernel: 1)
        b5b = try BasicConv2d(48, 64, kernel: 5, padding: 2)
        d1 = try BasicConv2d(inChannels, 64, kernel: 1)
        d2 = try BasicConv2d(64, 96, kernel: 3, padding: 1)
        d3 = try BasicConv2d(96, 96, kernel: 3, padding: 1)
        pool = try BasicConv2d(inChannels, poolFeatures, kernel: 1)
        super.init()
        for (name, m) in [("branch1x1", b1), ("branch5x5_1", b5a), ("branch5x5_2", b5b),
                          ("branch3x3dbl_1", d1), ("branch3x3dbl_2", d2), ("branch3x3dbl_3", d3),
                          ("branch_pool", pool)] { registerChild(name, m) }
    }

    public override func branches(_ x: Tensor) throws -> [Tensor] {
        [try b1(x), try b5b(b5a(x)), try d3(d2(d1(x))),
         try pool(x.avgPool2d(kernelSize: [3, 3], stride: [1, 1], padding: [1, 1]))]
    }
}

/// Mixed_6a (grid reduction 35 -> 17). `strideOne` is the WSOL variant (METHOD.md section 1).
public final class InceptionB: InceptionBlock {
    let b3: BasicConv2d, d1: BasicConv2d, d2: BasicConv2d, d3: BasicConv2d
    let poolKernel: [Int], poolStride: [Int], poolPadding: [Int]

    public init(_ inChannels: Int, strideOne: Bool = false) throws {
        let (s, p) = strideOne ? (1, 1) : (2, 0)
        b3 = try BasicConv2d(inChannels, 384, kernel: 3, stride: s, padding: p)
        d1 = try BasicConv2d(inChannels, 64, kernel: 1)
        d2 = try BasicConv2d(64, 96, kernel: 3, padding: 1)
        d3 = try BasicConv2d(96, 96, kernel: 3, stride: s, padding: p)
        (poolKernel, poolStride, poolPadding) = ([3, 3], [s, s], [p, p])
        super.init()
        for (name, m) in [("branch3x3", b3), ("branch3x3dbl_1", d1), ("branch3x3dbl_2", d2),
                          ("branch3x3dbl_3", d3)] {
            registerChild(name, m)
        }
    }

    public override func branches(_ x: Tensor) throws -> [Tensor] {
        [try b3(x), try d3(d2(d1(x))),
         try x.maxPool2d(kernelSize: poolKernel, stride: poolStride, padding: poolPadding)]
    }
}

/// Mixed_6b-6e (factorized 7x7).
public final class InceptionC: InceptionBlock {
    let b1: BasicConv2d, s1: BasicConv2d, s2: BasicConv2d, s3: BasicConv2d
    let d1: BasicConv2d, d2: BasicConv2d, d3: BasicConv2d, d4: BasicConv2d, d5: BasicConv2d, pool: BasicConv2d

    public init(_ inChannels: Int, channels7x7 c7: Int) throws {
        b1 = try BasicConv2d(inChannels, 192, kernel: 1)
        s1 = try BasicConv2d(inChannels, c7, kernel: 1)
        s2 = try BasicConv2d(c7, c7, kernel: [1, 7], padding: [0, 3])
        s3 = try BasicConv2d(c7, 192, kernel: [7, 1], padding: [3, 0])
        d1 = try BasicConv2d(inChannels, c7, kernel: 1)
        d2 = try BasicConv2d(c7, c7, kernel: [7, 1], padding: [3, 0])
        d3 = try BasicConv2d(c7, c7, kernel: [1, 7], padding: [0, 3])
        d4 = try BasicConv2d(c7, c7, kernel: [7, 1], padding: [3, 0])
        d5 = try BasicConv2d(c7, 192, kernel: [1, 7], padding: [0, 3])
        pool = try BasicConv2d(inChannels, 192, kernel: 1)
        super.init()
        for (name, m) in [("branch1x1", b1), ("branch7x7_1", s1), ("branch7x7_2", s2), ("branch7x7_3", s3),
                          ("branch7x7dbl_1", d1), ("branch7x7dbl_2", d2), ("branch7x7dbl_3", d3),
                          ("branch7x7dbl_4", d4), ("branch7x7dbl_5", d5), ("branch_pool", pool)] {
            registerChild(name, m)
        }
    }

    public override func branches(_ x: Tensor) throws -> [Tensor] {
        [try b1(x), try s3(s2(s1(x))), try d5(d4(d3(d2(d1(x))))),
         try pool(x.avgPool2d(kernelSize: [3, 3], stride: [1, 1], padding: [1, 1]))]
    }
}

/// Mixed_7a (grid reduction 17 -> 8). `paddingOne` is the WSOL variant (METHOD.md section 1).
public final class InceptionD: InceptionBlock {
    let a1: BasicConv2d, a2: BasicConv2d, s1: BasicConv2d, s2: BasicConv2d, s3: BasicConv2d, s4: BasicConv2d
    let poolPadding: [Int]

    public init(_ inChannels: Int, paddingOne: Bool = false) throws {
        let p = paddingOne ? 1 : 0
        a1 = try BasicConv2d(inChannels, 192, kernel: 1)
        a2 = try BasicConv2d(192, 320, kernel: 3, stride: 2, padding: p)
        s1 = try BasicConv2d(inChannels, 192, kernel: 1)
        s2 = try BasicConv2d(192, 192, kernel: [1, 7], padding: [0, 3])
        s3 = try BasicConv2d(192, 192, kernel: [7, 1], padding: [3, 0])
        s4 = try BasicConv2d(192, 192, kernel: 3, stride: 2, padding: p)
        poolPadding = [p, p]
        super.init()
        for (name, m) in [("branch3x3_1", a1), ("branch3x3_2", a2), ("branch7x7x3_1", s1),
                          ("branch7x7x3_2", s2), ("branch7x7x3_3", s3), ("branch7x7x3_4", s4)] {
            registerChild(name, m)
        }
    }

    public override func branches(_ x: Tensor) throws -> [Tensor] {
        [try a2(a1(x)), try s4(s3(s2(s1(x)))),
         try x.maxPool2d(kernelSize: [3, 3], stride: [2, 2], padding: poolPadding)]
    }
}

/// Mixed_7b/7c (expanded filter bank).
public final class InceptionE: InceptionBlock {
    let b1: BasicConv2d, t1: BasicConv2d, t2a: BasicConv2d, t2b: BasicConv2d
    let d1: BasicConv2d, d2: BasicConv2d, d3a: BasicConv2d, d3b: BasicConv2d, pool: BasicConv2d

    public init(_ inChannels: Int) throws {
        b1 = try BasicConv2d(inChannels, 320, kernel: 1)
        t1 = try BasicConv2d(inChannels, 384, kernel: 1)
        t2a = try BasicConv2d(384, 384, kernel: [1, 3], padding: [0, 1])
        t2b = try BasicConv2d(384, 384, kernel: [3, 1], padding: [1, 0])
        d1 = try BasicConv2d(inChannels, 448, kernel: 1)
        d2 = try BasicConv2d(448, 384, kernel: 3, padding: 1)
        d3a = try BasicConv2d(384, 384, kernel: [1, 3], padding: [0, 1])
        d3b = try BasicConv2d(384, 384, kernel: [3, 1], padding: [1, 0])
        pool = try BasicConv2d(inChannels, 192, kernel: 1)
        super.init()
        for (name, m) in [("branch1x1", b1), ("branch3x3_1", t1), ("branch3x3_2a", t2a),
                          ("branch3x3_2b", t2b), ("branch3x3dbl_1", d1), ("branch3x3dbl_2", d2),
                          ("branch3x3dbl_3a", d3a), ("branch3x3dbl_3b", d3b), ("branch_pool", pool)] {
            registerChild(name, m)
        }
    }

    public override func branches(_ x: Tensor) throws -> [Tensor] {
        let t = try t1(x)
        let d = try d2(d1(x))
        return [try b1(x), try Tensor.cat([t2a(t), t2b(t)], dim: 1), try Tensor.cat([d3a(d), d3b(d)], dim: 1),
                try pool(x.avgPool2d(kernelSize: [3, 3], stride: [1, 1], padding: [1, 1]))]
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
