import Foundation

/// A run folder's JSON files as version 0.3.0 wrote them before config.json and the sidecars had one
/// Codable type each (Tests/Fixtures/run-0.3.0: a bas resnet18 run of TrainingRunTests.options() and
/// a classify run of the same data), so tests prove older runs still resume and evaluate.
public enum RunFixture {
    public static let root = Reference.repoRoot.appendingPathComponent("Tests/Fixtures/run-0.3.0")

    /// The fixture's file at `relative` (e.g. "config.json", "classify/checkpoints/last.json").
    public static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(relative))
    }

    /// The fixture's JSON object at `relative`, with `change` applied (nested keys by path), as bytes.
    public static func patched(_ relative: String, _ change: (inout [String: Any]) -> Void) throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: data(relative)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        change(&object)
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// The fixture's config.json as another run's: `options.image_size` replaced.
    public static func config(imageSize: Int) throws -> Data {
        try patched("config.json") { object in
            var options = object["options"] as? [String: Any] ?? [:]
            options["image_size"] = imageSize
            object["options"] = options
        }
    }

    /// Every key path in a JSON object ("options.spec.image_size"), to compare two files' shapes.
    public static func keyPaths(_ value: Any, prefix: String = "") -> Set<String> {
        guard let object = value as? [String: Any] else { return [] }
        var paths = Set<String>()
        for (key, child) in object {
            let path = prefix.isEmpty ? key : prefix + "." + key
            paths.insert(path)
            paths.formUnion(keyPaths(child, prefix: path))
        }
        return paths
    }
}
