import Testing
@testable import Datasets

@Suite("Box validation against the image (METHOD.md section 5)")
struct BoxValidationTests {
    func validate(_ box: Box) -> (Box?, DatasetReadResult) {
        var result = DatasetReadResult()
        let kept = result.validatedBox(box, size: ImageSize(width: 100, height: 50), "boxes.txt", 7)
        return (kept, result)
    }

    @Test func overshootOfAtMostOnePixelIsClippedWarnedAndCounted() {
        let (kept, result) = validate(Box(x0: -0.5, y0: 2, x1: 101, y1: 50.5))
        #expect(kept == Box(x0: 0, y0: 2, x1: 100, y1: 50))
        #expect(result.clippedBoxes == 1 && result.warnings.count == 1 && result.errors.isEmpty)
    }

    /// Within the 1-pixel margin but wholly beyond the edge: clipping would leave an inverted or empty
    /// box, which is an error, never a kept box.
    @Test(arguments: [Box(x0: 100.5, y0: 2, x1: 101, y1: 10), Box(x0: 100, y0: 2, x1: 101, y1: 10),
                      Box(x0: 3, y0: -1, x1: 9, y1: 0)])
    func boxesNothingOfWhichIsInsideAreErrors(box: Box) {
        let (kept, result) = validate(box)
        #expect(kept == nil)
        #expect(result.errors.first?.description.contains("boxes.txt:7") == true, "\(result.issues)")
    }

    @Test func boxesBeyondTheMarginOrInvertedAreErrors() {
        #expect(validate(Box(x0: 0, y0: 0, x1: 102, y1: 10)).0 == nil)
        #expect(validate(Box(x0: 9, y0: 0, x1: 3, y1: 10)).0 == nil)
        #expect(validate(Box(x0: 3, y0: 0, x1: 9, y1: 10)).0 == Box(x0: 3, y0: 0, x1: 9, y1: 10))
    }
}
