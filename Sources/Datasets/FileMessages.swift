/// An error's text without the leading "<path>: " that the file readers already put in front, so a
/// caller that names the file itself never prints it twice ("x.jpg: x.jpg: cannot decode").
public func errorText(_ error: Error, about path: String) -> String {
    let text = "\(error)"
    return text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text
}
