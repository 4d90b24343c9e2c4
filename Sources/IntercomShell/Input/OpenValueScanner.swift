/// Whether a command-language line leaves a quote or a JSON value open, found by scanning each piece of text once
/// as it is appended, so that joining a long continued line costs time in proportion to its length. It follows
/// ``CommandTokenizer``'s rules: words split at spaces and tabs, `#` at the start of a word begins a comment,
/// `"` and `'` quote (with backslash escapes), `{` or `[` at the start of a word or right after `key=` opens a
/// JSON value, and a line with a control character or a bad `\u` escape is refused rather than continued.
struct OpenValueScanner: Sendable {
    private enum Mode: Sendable {
        case betweenWords
        case word
        case quote(Character)
        case json
        case comment
        case refused
    }

    private var mode = Mode.betweenWords
    /// In a word: nothing read yet; a `key=` read; nothing read since it; a quoted part read; a backslash pending.
    private var wordEmpty = true
    private var keyRead = false
    private var valueEmpty = false
    private var valueQuoted = false
    private var escaping = false
    /// In a quote: the hex digits still expected after `\u`, and those read.
    private var hexExpected = 0
    private var hexDigits = ""
    /// In a JSON value: its depth, and whether in one of its strings.
    private var depth = 0
    private var inString = false

    /// Whether a quote or a JSON value is open after the text scanned so far.
    var isOpen: Bool {
        switch mode {
        case .quote: hexExpected == 0
        case .json: true
        default: false
        }
    }

    /// A carriage return that ended the text so far: ignored at the very end of a line, as the tokenizer does,
    /// and refused once more text follows it.
    private var carriageReturn = false

    /// Scans `text`, appended to what was scanned before.
    mutating func scan(_ text: some StringProtocol) {
        guard !text.isEmpty else { return }
        if carriageReturn {
            carriageReturn = false
            mode = .refused
        }
        var text = Substring(text)
        if text.last == "\r" {
            text = text.dropLast()
            carriageReturn = true
        }
        for character in text {
            if case .refused = mode { return }
            if CommandTokenizer.isForbiddenControl(character) {
                mode = .refused
                return
            }
            scan(character)
        }
    }

    private mutating func scan(_ character: Character) {
        switch mode {
        case .betweenWords:
            guard character != " " && character != "\t" else { return }
            if character == "#" {
                mode = .comment
                return
            }
            (mode, wordEmpty, keyRead, valueEmpty, valueQuoted, escaping) = (.word, true, false, false, false, false)
            scanWord(character)
        case .word: scanWord(character)
        case .quote(let quote): scanQuoted(character, quote: quote)
        case .json: scanJSON(character)
        case .comment, .refused: return
        }
    }

    private mutating func scanWord(_ character: Character) {
        if escaping {
            (escaping, wordEmpty, valueEmpty) = (false, false, false)
            return
        }
        switch character {
        case " ", "\t":
            mode = .betweenWords
        case "{" where wordEmpty || (keyRead && valueEmpty), "[" where wordEmpty || (keyRead && valueEmpty):
            (mode, depth, inString, escaping) = (.json, 1, false, false)
        case "\"", "'":
            mode = .quote(character)
        case "\\":
            escaping = true
        case "=" where !keyRead && !valueQuoted:
            (keyRead, wordEmpty, valueEmpty) = (true, false, true)
        default:
            (wordEmpty, valueEmpty) = (false, false)
        }
    }

    private mutating func scanQuoted(_ character: Character, quote: Character) {
        if hexExpected > 0 {
            hexDigits.append(character)
            hexExpected -= 1
            if !character.isHexDigit { mode = .refused }
            if hexExpected == 0, UInt32(hexDigits, radix: 16).flatMap(Unicode.Scalar.init) == nil { mode = .refused }
            return
        }
        if escaping {
            escaping = false
            if character == "u" {
                hexExpected = 4
                hexDigits = ""
            }
            (wordEmpty, valueEmpty) = (false, false)
            return
        }
        switch character {
        case quote:
            (mode, valueQuoted) = (.word, true)
        case "\\":
            escaping = true
        default:
            (wordEmpty, valueEmpty) = (false, false)
        }
    }

    private mutating func scanJSON(_ character: Character) {
        if inString {
            if escaping {
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                inString = false
            }
            return
        }
        switch character {
        case "\"": inString = true
        case "{", "[": depth += 1
        case "}", "]":
            depth -= 1
            if depth == 0 { (mode, wordEmpty, valueEmpty) = (.word, false, false) }
        default: break
        }
    }
}
