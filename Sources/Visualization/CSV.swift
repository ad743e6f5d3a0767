/// Comma-separated values as RFC 4180 writes them: a field holding a comma, quote, line break or
/// surrounding spaces is quoted, quotes doubled; records end with "\n".
public enum CSV {
    public static func record(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: ",") + "\n"
    }

    static func quoted(_ field: String) -> String {
        let special = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard special || field.first == " " || field.last == " " else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Parses CSV text (quoted fields may hold commas, doubled quotes and line breaks; "\r\n" or "\n"
    /// ends a record; blank lines are skipped). Errors name `path` and the line.
    public static func parse(_ text: String, path: String) throws -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var line = 1
        var chars = Array(text.unicodeScalars)[...]
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { records.append(fields) }
            fields = []; field = ""; wasQuoted = false
        }
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.unicodeScalars.append("\""); chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty, !wasQuoted else {
                    throw VisualizationError(
                        "\(path):\(line): a quote inside an unquoted field; quote the whole field")
                }
                quoted = true; wasQuoted = true
            case ",":
                fields.append(field); field = ""; wasQuoted = false
            case "\r" where chars.first == "\n":
                break
            case "\n":
                endRecord(); line += 1
            default:
                guard !wasQuoted else {
                    throw VisualizationError(
                        "\(path):\(line): text after a closing quote; quote the whole field")
                }
                field.unicodeScalars.append(c)
            }
        }
        guard !quoted else { throw VisualizationError("\(path):\(line): a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }
}
