import Foundation

/// JSONSerialization keeps one of two equal keys silently; a safetensors header that names a tensor
/// twice must be refused as such, not reported later as bytes that belong to no tensor.
enum JSONDuplicateKeys {
    /// The first key that occurs twice in the top-level object of `json` (escapes decoded before
    /// comparing), or nil. Expects text JSONSerialization has already accepted.
    static func firstTopLevel(_ json: UnsafeRawBufferPointer) -> String? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), colon = UInt8(ascii: ":")
        var seen = Set<String>()
        var depth = 0, i = 0
        while i < json.count {
            let c = json[i]
            if c == quote {
                let start = i
                i += 1
                while i < json.count && json[i] != quote { i += json[i] == backslash ? 2 : 1 }
                let end = min(i, json.count - 1)
                i += 1
                guard depth == 1 else { continue }
                var j = i
                while j < json.count && [0x20, 0x09, 0x0A, 0x0D].contains(json[j]) { j += 1 }
                guard j < json.count && json[j] == colon else { continue }
                let raw = Data(UnsafeRawBufferPointer(rebasing: json[start...end]))
                let key = try? JSONSerialization.jsonObject(with: raw, options: .fragmentsAllowed) as? String
                if let key, !seen.insert(key).inserted { return key }
                continue
            }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
            if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") { depth -= 1 }
            i += 1
        }
        return nil
    }
}
