import IntercomKit

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

    /// The columns `text` takes on a terminal: 2 for each wide character (CJK, Hangul, fullwidth forms, emoji shown
    /// as pictures), 1 for any other, a grapheme cluster (a letter and its accents, a joined emoji) counted once.
    public static func width(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// The columns one character takes: 2 when it is wide, else 1.
    public static func width(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        if first.properties.isEmojiPresentation || character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        switch first.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3,
            0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// `text` cut to at most `width` columns, ending with `…` when it was cut; the registered secrets are redacted
    /// before it is cut (``SecretRedaction/redactingRegistered(_:)``).
    public static func cut(_ text: String, to width: Int) -> String {
        guard self.width(text) > width else { return text }
        let text = SecretRedaction.redactingRegistered(text)
        guard self.width(text) > width else { return text }
        guard width > 1 else { return width == 1 && self.width(of: text.first ?? " ") == 1 ? String(text.prefix(1)) : "" }
        var kept = ""
        var used = 0
        for character in text {
            let next = self.width(of: character)
            if used + next > width - 1 { break }
            kept.append(character)
            used += next
        }
        return kept + "…"
    }

    /// `text` padded with spaces to `width` columns.
    public static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - self.width(text)))
    }
}
