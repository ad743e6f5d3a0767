import Datasets
import Foundation
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
