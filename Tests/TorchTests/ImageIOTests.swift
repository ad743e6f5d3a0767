import Foundation
import Testing
import TestSupport
import Torch

@Suite("Image I/O through OpenCV", .serialized)
struct ImageIOTests {
    init() { configureTestRuntime }

    /// Every mode decodes to the RGB PIL gives (the reference code's decoder); JPEG decoders may differ
    /// by rounding, so JPEGs allow a small mean difference.
    @Test(arguments: [("rgb.png", 0.0), ("gray.png", 0.0), ("rgba.png", 0.0),
                      ("rgb.jpg", 1.0), ("gray.jpg", 1.0), ("cmyk.jpg", 1.0)])
    func decodesEveryModeToRGB(name: String, tolerance: Double) throws {
        let dir = try Reference.run("images.py")
        let image = try ImageIO.decode(dir.appendingPathComponent(name).path)
        let expected = try Reference.load(dir, name)
        #expect(image.shape == expected.shape)
        #expect(image.dtype == .uint8)
        let ours = try image.doubles()
        let theirs = expected.doubles()
        let meanDiff = zip(ours, theirs).map { abs($0 - $1) }.reduce(0, +) / Double(ours.count)
        #expect(meanDiff <= tolerance, "\(name): mean |ours - PIL| = \(meanDiff)")
    }

    @Test func grayscaleDecodingAndReductionOnlyForJPEG() throws {
        let dir = try Reference.run("images.py")
        let gray = try ImageIO.decode(dir.appendingPathComponent("gray.png").path, grayscale: true)
        let expected = try Reference.load(dir, "gray.png").doubles()
        #expect(gray.shape == [37, 53])
        #expect(try gray.doubles() == stride(from: 0, to: expected.count, by: 3).map { expected[$0] })
        // libjpeg decodes a JPEG at half size; a PNG ignores the request and keeps its size.
        #expect(try ImageIO.decode(dir.appendingPathComponent("rgb.jpg").path, reduce: 2).shape == [19, 27, 3])
        #expect(try ImageIO.decode(dir.appendingPathComponent("rgb.png").path, reduce: 2).shape == [37, 53, 3])
    }

    /// JPEGs decode through libjpeg directly (jpeg_decode.cpp), CMYK through OpenCV: either way the
    /// pixels are exactly OpenCV's (cv2.imdecode in Debian's Python, same libjpeg), whole and reduced.
    @Test(arguments: ["rgb.jpg", "gray.jpg", "cmyk.jpg", "photo.jpg", "progressive.jpg", "full-chroma.jpg"])
    func jpegDecodingIsOpenCVs(name: String) throws {
        let dir = try Reference.run("images.py")
        for reduce in [1, 2, 4, 8] {
            let ours = try ImageIO.decode(dir.appendingPathComponent(name).path, reduce: reduce)
            let theirs = try Reference.load(dir, "\(name).cv2-\(reduce)")
            #expect(ours.shape == theirs.shape, "\(name) at 1/\(reduce)")
            #expect(try ours.doubles() == theirs.doubles(), "\(name) at 1/\(reduce)")
        }
    }

    @Test func missingAndCorruptImagesAreErrorsNamingTheFile() throws {
        let dir = try Reference.run("images.py")
        let missing = dir.appendingPathComponent("nope.jpg").path
        #expect { try ImageIO.decode(missing) } throws: { ($0 as? TorchError)?.message.contains(missing) == true }
        let corrupt = dir.appendingPathComponent("corrupt.jpg").path
        #expect { try ImageIO.decode(corrupt) } throws: { ($0 as? TorchError)?.message.contains(corrupt) == true }
    }

    @Test func pngRoundTripIsExactAndJpegIsClose() throws {
        let dir = try temporaryDirectory(prefix: "imageio")
        let pixels: [UInt8] = (0..<1800).map { (i: Int) -> UInt8 in UInt8((i * 7) % 256) }
        let image = try Tensor(pixels, shape: [20, 30, 3])
        let png = dir.appendingPathComponent("a.png").path
        try ImageIO.write(image, to: png)
        #expect(try ImageIO.decode(png).bytes() == pixels)
        // Encoding in memory gives the file's very bytes (what TensorBoard's images are made of).
        let encoded = try ImageIO.encode(image, as: ".png")
        #expect(encoded == [UInt8](try Data(contentsOf: URL(fileURLWithPath: png))))
        #expect(throws: TorchError.self) { try ImageIO.encode(image, as: ".nothing") }
        let gradient: [UInt8] = (0..<1800).map { (i: Int) -> UInt8 in UInt8((i / 3) % 30 * 8) }
        let smooth = try Tensor(gradient, shape: [20, 30, 3])
        let jpg = dir.appendingPathComponent("a.jpg").path
        try ImageIO.write(smooth, to: jpg, jpegQuality: 100)
        let back = try ImageIO.decode(jpg).doubles()
        let diff = zip(back, try smooth.doubles()).map { abs($0 - $1) }.reduce(0, +) / Double(back.count)
        #expect(diff < 3)
        #expect(throws: TorchError.self) { try ImageIO.write(image, to: "/nonexistent-dir/x.png") }
    }

    @Test func resizeUsesAreaWhenShrinkingAndBilinearWhenEnlarging() throws {
        // 4x4 gray image of 2x2 blocks: area-shrinking to 2x2 gives each block's mean.
        let values: [Float] = [0, 2, 4, 6,
                               2, 4, 6, 8,
                               10, 10, 20, 20,
                               10, 10, 20, 20]
        let image = try Tensor(values, shape: [4, 4])
        let small = try ImageIO.resize(image, height: 2, width: 2)
        #expect(try small.floats() == [2, 6, 10, 20])
        // Enlarging [0, 8] to width 4 bilinearly (half-pixel centres): 0, 2, 6, 8.
        let row = try Tensor([0, 8] as [Float], shape: [1, 2])
        #expect(try ImageIO.resize(row, height: 1, width: 4).floats() == [0, 2, 6, 8])
        let nearest = try ImageIO.resize(row, height: 1, width: 4, mode: .nearest)
        #expect(try nearest.floats() == [0, 0, 8, 8])
        // One side shrinks (6 -> 2: area means of [0, 0, 9] and [0, 0, 9]) while the other grows
        // (2 -> 4): each side gets its own filter; a single bilinear pass would sample the zeros.
        let spiky = try Tensor([Float]([0, 0, 9, 0, 0, 9, 0, 0, 9, 0, 0, 9]), shape: [2, 6])
        #expect(try ImageIO.resize(spiky, height: 4, width: 2).floats() == [Float](repeating: 3, count: 8))
        let rgb = try Tensor([UInt8](repeating: 9, count: 5 * 7 * 3), shape: [5, 7, 3])
        #expect(try ImageIO.resize(rgb, height: 11, width: 3, mode: .bicubic).shape == [11, 3, 3])
        #expect(throws: TorchError.self) { try ImageIO.resize(rgb, height: 0, width: 3) }
    }
}

@Suite("Center-crop offset")
struct CenterCropOffsetTests {
    /// torchvision's CenterCrop rounds (size - crop) / 2 with Python's round, halves to even.
    @Test(arguments: [(256, 224, 16), (341, 224, 58), (343, 224, 60), (183, 160, 12), (475, 416, 30), (224, 224, 0)])
    func roundsHalvesToEvenAsTorchvision(size: Int, crop: Int, offset: Int) {
        #expect(ImageIO.centerCropOffset(size: size, crop: crop) == offset)
    }
}
