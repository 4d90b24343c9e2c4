/// Text that came from a server or from data, made safe for a terminal: every control character (C0, DEL and the
/// C1 range, which terminals read as escape sequences) is shown as a `\u001b`-style escape, so data can neither clear
/// the screen nor move the cursor nor retitle the window. Printable text, newlines in JSON structure and
/// intercom-sh's own colours are left alone.
public enum TerminalText {
    /// `text` with every control character written as `\uXXXX`.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 controls, DEL and C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
