import Foundation
import OutputFiles
import Testing
import TestSupport

/// The output-folder rule (OutputFolder, OutputStaging): what may be written into, and that a tree
/// appears whole or not at all.
@Suite("output folders", .serialized)
struct OutputFolderTests {
    private func listing(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    }

    @Test func refusesFoldersItMayNotWriteInto() throws {
        let dir = try temporaryDirectory(prefix: "claim").path, deeper = dir + "/new/deeper"
        #expect(try OutputFolder.claim(deeper, force: false, owner: "wsol test") == .fresh)
        #expect(try OutputFolder.claim(deeper, force: false, owner: "wsol test") == .fresh)  // empty
        try Data("x".utf8).write(to: URL(fileURLWithPath: deeper + "/theirs.txt"))
        #expect(throws: OutputFolderError.self) { try OutputFolder.claim(deeper, force: false, owner: "wsol test") }
        #expect(try OutputFolder.claim(deeper, force: true, owner: "wsol test") == .foreign)
        for path in ["/", NSHomeDirectory(), deeper + "/theirs.txt", deeper + "/theirs.txt/below"] {
            for force in [false, true] {
                do {
                    try OutputFolder.claim(path, force: force, owner: "wsol test")
                    Issue.record("\(path) was accepted")
                } catch let error as OutputFolderError {
                    let raw = error.message.contains("\n") || error.message.contains("NSCocoaErrorDomain")
                    #expect(error.refused && !raw, "\(error.message)")
                }
            }
        }
    }

    @Test func aFailedWriteLeavesNothingBehind() throws {
        let parent = try temporaryDirectory(prefix: "fail").path
        struct DiskFull: Error {}
        #expect(throws: DiskFull.self) {
            try OutputFolder.write(parent + "/out", force: false, owner: "wsol test") { staging in
                try Data("half".utf8).write(to: URL(fileURLWithPath: staging + "/images.txt"))
                throw DiskFull()
            }
        }
        // The claimed folder stays empty and no staging folder is left beside it.
        #expect(try listing(parent) == ["out"])
        #expect(try listing(parent + "/out").isEmpty)
    }

    @Test func ownOutputIsReplacedWholeAndConcurrentRunsNeverMix() throws {
        let parent = try temporaryDirectory(prefix: "replace").path
        let target = parent + "/out"
        try OutputFolder.write(target, force: false, owner: "wsol test") { dir in
            try FileManager.default.createDirectory(atPath: dir + "/val", withIntermediateDirectories: true)
        }
        #expect(try listing(target) == [".wsol-output", "val"])
        // A second run replaces the first entirely: no stale split survives.
        let first = try OutputStaging(target: target, force: false, owner: "wsol test")
        let second = try OutputStaging(target: target, force: false, owner: "wsol test")
        for (staging, split) in [(first, "train"), (second, "test")] {
            try FileManager.default.createDirectory(atPath: staging.path + "/" + split, withIntermediateDirectories: true)
        }
        try first.commit()
        #expect(try listing(target).filter { !$0.hasPrefix(".wsol-partial-") } == [".wsol-output", "train"])
        try second.commit()
        #expect(try listing(target) == [".wsol-output", "test"])
        #expect(try listing(parent) == ["out"])
        // Another command's output is not ours to replace.
        #expect(throws: OutputFolderError.self) {
            try OutputFolder.claim(target, force: false, owner: "wsol other")
        }
    }

    private func write(_ path: String, _ text: String = "x") throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Writing again into its own output replaces only the files the command wrote there (the marker
    /// lists them): a run folder, notes or an image the user added beside them survive.
    @Test func filesTheUserAddedSurviveARewrite() throws {
        let target = try temporaryDirectory(prefix: "keep").path
        try OutputFolder.write(target, force: false, owner: "wsol test") { dir in
            try write(dir + "/images/a/1.jpg"); try write(dir + "/images.txt")
        }
        try write(target + "/NOTES.md"); try write(target + "/myrun/config.json"); try write(target + "/images/mine.jpg")
        try OutputFolder.write(target, force: false, owner: "wsol test") { dir in
            try write(dir + "/images/b/2.jpg"); try write(dir + "/classes.txt")
        }
        #expect(try listing(target) == [".wsol-output", "NOTES.md", "classes.txt", "images", "myrun"])
        #expect(try listing(target + "/images") == ["b", "mine.jpg"])  // a/ went with its only file
        #expect(try listing(target + "/myrun") == ["config.json"])
        // A file of the user's where the new output writes one is refused, and nothing changes.
        try write(target + "/labels.txt", "mine")
        #expect(throws: OutputFolderError.self) {
            try OutputFolder.write(target, force: false, owner: "wsol test") { dir in try write(dir + "/labels.txt", "new") }
        }
        #expect(try listing(target + "/images") == ["b", "mine.jpg"])
        #expect(try String(contentsOfFile: target + "/labels.txt", encoding: .utf8) == "mine")
        try OutputFolder.write(target, force: true, owner: "wsol test") { dir in try write(dir + "/labels.txt", "new") }
        #expect(try listing(target) == [".wsol-output", "NOTES.md", "images", "labels.txt", "myrun"])
        #expect(try listing(target + "/images") == ["mine.jpg"])
    }

    /// A marker without the list (an older wsol's) cannot say what is ours: refused without --force; and
    /// a listed path that leaves the folder is never followed.
    @Test func aMarkerWithoutItsListIsNotTrustedToDelete() throws {
        let parent = try temporaryDirectory(prefix: "legacy").path, target = parent + "/out"
        try write(target + "/.wsol-output", "wsol test\n"); try write(target + "/old.txt")
        #expect(throws: OutputFolderError.self) {
            try OutputFolder.write(target, force: false, owner: "wsol test") { dir in try write(dir + "/new.txt") }
        }
        try write(parent + "/outside.txt")
        try write(target + "/.wsol-output", "wsol test\n# files written:\n../outside.txt\n/etc/hostname\nold.txt\n")
        try OutputFolder.write(target, force: false, owner: "wsol test") { dir in try write(dir + "/new.txt") }
        #expect(try listing(target) == [".wsol-output", "new.txt"])
        #expect(FileManager.default.fileExists(atPath: parent + "/outside.txt"))
    }

    /// The current folder as output: filled in place, never renamed away under the shell that sits in it.
    @Test func theCurrentFolderStaysTheSameFolder() throws {
        let target = try temporaryDirectory(prefix: "cwd").path
        let before = try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? Int
        try OutputFolder.write(target, force: false, owner: "wsol test") { dir in
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/images.txt"))
        }
        let after = try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? Int
        #expect(before != nil && before == after)
        #expect(try listing(target) == [".wsol-output", "images.txt"])
    }

    @Test func forceMergesIntoAForeignFolderAndKeepsItsOtherFiles() throws {
        let target = try temporaryDirectory(prefix: "force").path
        try FileManager.default.createDirectory(atPath: target + "/images", withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: target + "/images/keep.jpg"))
        try Data("old".utf8).write(to: URL(fileURLWithPath: target + "/images.txt"))
        try OutputFolder.write(target, force: true, owner: "wsol test") { dir in
            try FileManager.default.createDirectory(atPath: dir + "/images", withIntermediateDirectories: true)
            try Data("new".utf8).write(to: URL(fileURLWithPath: dir + "/images/new.jpg"))
            try Data("new".utf8).write(to: URL(fileURLWithPath: dir + "/images.txt"))
        }
        #expect(try listing(target) == ["images", "images.txt"])  // no marker: the folder is still not ours
        #expect(try listing(target + "/images") == ["keep.jpg", "new.jpg"])
        #expect(try String(contentsOfFile: target + "/images.txt", encoding: .utf8) == "new")
    }
}
