import Foundation
import Testing
import TestSupport
@testable import Datasets

@Suite("Metadata text files")
struct TextTableTests {
    /// Files saved by Windows editors: a byte-order mark and CRLF line ends read like plain ones.
    @Test func byteOrderMarkAndCRLFAreTransparent() throws {
        let path = try temporaryDirectory(prefix: "texttable").appendingPathComponent("images.txt").path
        try Data("\u{FEFF}1 001.a/x y.jpg\r\n2 001.a/z.jpg\r\n".utf8).write(to: URL(fileURLWithPath: path))
        let table = try TextTable.read(path, separator: " ", maxFields: 2)
        #expect(table.rows.map(\.fields) == [["1", "001.a/x y.jpg"], ["2", "001.a/z.jpg"]])
        #expect(table.rows.map(\.line) == [1, 2])
        // Without a text tail every field counts, so a stray extra one is seen.
        #expect(try TextTable.read(path, separator: " ").rows[0].fields.count == 3)
    }
}
