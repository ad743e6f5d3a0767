import Foundation
import Testing
import TestSupport
@testable import Evaluation

/// The evaluator's reader of wsolevaluation metadata: both localization forms and one-line errors.
@Suite("wsolevaluation metadata reader", .serialized)
struct MetadataTests {
    init() { configureTestRuntime }

    private func folder(_ files: [String: String]) throws -> URL {
        let dir = try temporaryDirectory(prefix: "metadata")
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    private func error(_ dir: URL) -> String {
        do {
            _ = try EvaluationMetadata.read(dir)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func boxesWithSeveralPerImageAndWindowsLineEnds() throws {
        let dir = try folder(["image_ids.txt": "a/1.jpg\r\nb/2.jpg\r\n", "image_sizes.txt": "a/1.jpg,100,50\nb/2.jpg,30,40\n",
                              "localization.txt": "a/1.jpg,1,2,30,40\na/1.jpg,5.5,6,7,8\n\nb/2.jpg,0,0,29,39\n"])
        let meta = try EvaluationMetadata.read(dir)
        #expect(meta.imageIDs == ["a/1.jpg", "b/2.jpg"])
        #expect(meta.sizes["a/1.jpg"]! == (100, 50))
        guard case .boxes(let boxes) = meta.localization else { Issue.record("expected boxes"); return }
        #expect(boxes["a/1.jpg"] == [SourceBox(1, 2, 30, 40), SourceBox(5.5, 6, 7, 8)])
    }

    @Test func masksTakeTheIgnorePathFromTheFirstLine() throws {
        let dir = try folder(["image_ids.txt": "x.jpg\n", "image_sizes.txt": "",
                              "localization.txt": "x.jpg,m/x_0.png,m/x_ignore.png\nx.jpg,m/x_1.png,\n"])
        guard case .masks(let masks) = try EvaluationMetadata.read(dir).localization else { Issue.record("expected masks"); return }
        #expect(masks["x.jpg"] == EvaluationMetadata.Masks(masks: ["m/x_0.png", "m/x_1.png"], ignore: "m/x_ignore.png"))
        let late = try folder(["image_ids.txt": "x.jpg\n", "localization.txt": "x.jpg,m/x_0.png,\nx.jpg,m/x_1.png,m/ig.png\n"])
        #expect(error(late).contains("localization.txt:2: the ignore path belongs on an image's first line only"))
    }

    @Test func malformedLinesNameFileAndLine() throws {
        let base = ["image_ids.txt": "a.jpg\n", "image_sizes.txt": "a.jpg,10,10\n"]
        func with(_ extra: [String: String]) throws -> URL { try folder(base.merging(extra) { $1 }) }
        #expect(error(try with(["localization.txt": "a.jpg,1,2,3,4\na.jpg,5,6,1,8\n"])).contains("localization.txt:2: inverted box"))
        #expect(error(try with(["localization.txt": "a.jpg,1,2,3,nan\n"])).contains("localization.txt:1: expected"))
        #expect(error(try with(["localization.txt": "a.jpg,1,2,3,4\na.jpg,1,2\n"])).contains("localization.txt:2: expected"))
        #expect(error(try with(["localization.txt": "a.jpg,1,2,3,4\n", "image_sizes.txt": "a.jpg,10\n"])).contains("image_sizes.txt:1: expected"))
        #expect(error(try with(["localization.txt": "b.jpg,1,2,3,4\n"])).contains("no line gives a box for image a.jpg"))
        #expect(error(try folder(base)).contains("localization.txt: cannot read"))
    }
}
