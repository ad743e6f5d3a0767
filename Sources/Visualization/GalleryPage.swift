import Datasets
import Foundation

/// index.html: one self-contained page (style, script and data inline) that opens from disk. The rows
/// travel as JSON; the script renders them in chunks as the reader scrolls, so 5,794 images cost a few
/// hundred table rows at a time, and thumbnails load lazily. The first chunk is rendered while the page
/// loads, so a `--dump-dom` of the page holds the first rows in gallery order.
enum GalleryPage {
    struct Payload: Encodable {
        var title: String
        var runs: [String]
        var rows: [Row]
    }

    struct Row: Encodable {
        var id: String
        var c: Int
        var cn: String
        var r: [Run]
    }

    /// One run on one image: predicted class and name, confidence, IoU, box count, panel, thumbnail and
    /// the thumbnail's size when its header could be read (so rows do not jump as images arrive).
    struct Run: Encodable {
        var p: Int, pn: String, s: Double, iou: Double, nb: Int
        var panel: String, thumb: String
        var tw: Int?, th: Int?
    }

    static func html(
        title: String, runNames: [String], records: [GalleryRecord], folder: String
    ) throws -> String {
        let rows = records.map { record in
            Row(
                id: record.imageID, c: record.trueClass, cn: record.trueName,
                r: record.outcomes.map { o in
                    let size = ImageHeader.size(folder + "/" + o.thumbnail)
                    return Run(
                        p: o.predictedClass, pn: o.predictedName, s: o.confidence, iou: o.iou,
                        nb: o.boxes.count,
                        panel: o.panel, thumb: o.thumbnail, tw: size?.width, th: size?.height)
                })
        }
        let json = try JSONEncoder().encode(Payload(title: title, runs: runNames, rows: rows))
        // "<" only occurs inside JSON strings, where \u003c means the same: no "</script>" can end the block.
        let data = String(decoding: json, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
        let subtitle = runNames.count == 2 ? "\(runNames[0]) vs \(runNames[1])" : runNames[0]
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>\(GalleryAssets.style)</style>
            </head>
            <body>
            <header id="top">
            <div class="titles"><h1>\(escape(title))</h1><span class="sub">\(escape(subtitle))</span></div>
            <div id="stats"></div>
            <div id="controls"></div>
            </header>
            <main>
            <table id="gallery"><thead></thead><tbody></tbody></table>
            <div id="more"></div>
            </main>
            <script type="application/json" id="gallery-data">\(data)</script>
            <script>\(GalleryAssets.script)</script>
            </body>
            </html>

            """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
