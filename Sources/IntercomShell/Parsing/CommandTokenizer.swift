public import IntercomKit

/// Splits a command-language line into words, shell-style.
///
/// Words are separated by spaces or tabs; `"double"` and `'single'` quotes group text and take backslash escapes
/// (`\n`, `\t`, `\r`, `\\`, `\"`, `\'`, `\uXXXX`); outside quotes a backslash escapes the next character; `#` at the
/// start of a word begins a comment; a backslash at the very end asks for the next line.
public enum CommandTokenizer {
    /// One word of a line.
    public struct Word: Sendable, Hashable {
        /// The word after quotes and escapes are removed.
        public var text: String
        /// The 1-based column (in characters) where the word starts.
        public var column: Int
        /// The part before the first `=` outside quotes, for `key=value` words.
        public var key: String?
        /// The part after that `=`, or the whole word.
        public var value: String
        /// Whether any part of the value was quoted (quoted values are always strings).
        public var valueQuoted: Bool
        /// The value of a reference (`${…}`) that is the whole value, when it is neither text nor a number: it keeps
        /// its JSON type, so an object, a list, `null` or `true` is never taken as the text of a string parameter.
        public var referenced: JSONValue? = nil
    }

    /// The outcome of splitting a line.
    public enum Outcome: Sendable, Hashable {
        /// The words of a complete line (empty for a blank or comment line).
        case words([Word])
        /// The line is not finished: a quote is open or it ends in a backslash. `error` says which, for
        /// input that cannot continue.
        case incomplete(InputError)
        /// The line cannot be split.
        case failed(InputError)
    }

    /// A control character that cannot be typed on purpose: any but tab, and newline (which joins the lines of a
    /// quoted value that continues); a NUL or an escape code in a line is damage, not data.
    static func isForbiddenControl(_ character: Character) -> Bool {
        guard character != "\t", character != "\n" else { return false }
        return character.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Splits `line`.
    public static func split(_ line: String) -> Outcome {
        var characters = Array(line)
        if characters.last == "\r" { characters.removeLast() }
        if let control = characters.firstIndex(where: isForbiddenControl) {
            let scalar = characters[control].unicodeScalars.first!.value
            let code = String(scalar, radix: 16, uppercase: true)
            let hex = String(repeating: "0", count: max(0, 4 - code.count)) + code
            return .failed(InputError("control character U+\(hex) in the line (write \\u\(hex) inside quotes if it is meant)", column: control + 1))
        }
        var words: [Word] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character == "\t" {
                index += 1
                continue
            }
            if character == "#" { break }
            switch readWord(characters, from: &index) {
            case .success(let word): words.append(word)
            case .failure(let stop): return stop.outcome
            }
        }
        return .words(words)
    }

    /// Why the rest of a line cannot be read: what splitting it comes to.
    private struct Stop: Error {
        let outcome: Outcome
    }

    /// Reads the word starting at `index` (not a space), leaving `index` just past it.
    private static func readWord(_ characters: [Character], from index: inout Int) -> Result<Word, Stop> {
        let start = index
        var text = ""
        var key: String?
        var valueStart = text.startIndex
        var valueQuoted = false
        while index < characters.count, characters[index] != " ", characters[index] != "\t" {
            let current = characters[index]
            let atValueStart = text.isEmpty || (key != nil && valueStart == text.endIndex)
            if atValueStart, current == "{" || current == "[" {
                guard let end = endOfJSONValue(characters, from: index) else {
                    return .failure(Stop(outcome: .incomplete(InputError("unterminated JSON value", column: index + 1))))
                }
                text += String(characters[index..<end])
                index = end
                continue
            }
            switch current {
            case "\"", "'":
                if let stop = readQuoted(characters, from: &index, into: &text) { return .failure(stop) }
                valueQuoted = true
            case "\\":
                guard index + 1 < characters.count else {
                    return .failure(Stop(outcome: .incomplete(InputError("line continues after a trailing backslash", column: index + 1))))
                }
                text.append(characters[index + 1])
                index += 2
            case "=" where key == nil && !valueQuoted:
                key = text
                text.append("=")
                valueStart = text.endIndex
                index += 1
            default:
                text.append(current)
                index += 1
            }
        }
        let value = key == nil ? text : String(text[valueStart...])
        return .success(Word(text: text, column: start + 1, key: key, value: value, valueQuoted: valueQuoted))
    }

    /// Reads the quoted text starting at the quote at `index` into `text`, leaving `index` past the closing quote;
    /// nil when it closes, or why the line cannot be read.
    private static func readQuoted(_ characters: [Character], from index: inout Int, into text: inout String) -> Stop? {
        let quote = characters[index]
        let quoteColumn = index + 1
        index += 1
        while index < characters.count {
            let inner = characters[index]
            if inner == quote {
                index += 1
                return nil
            }
            guard inner == "\\" else {
                text.append(inner)
                index += 1
                continue
            }
            guard index + 1 < characters.count else { break }
            switch unescape(characters, at: index + 1) {
            case .success(let (scalar, consumed)):
                text.append(scalar)
                index += 1 + consumed
            case .failure(let error):
                return Stop(outcome: .failed(error))
            }
        }
        return Stop(outcome: .incomplete(InputError("unterminated quote", column: quoteColumn)))
    }

    /// The index just past the JSON object or array starting at `start`, or `nil` if it is not closed on this line.
    /// Brackets inside JSON strings do not count.
    private static func endOfJSONValue(_ characters: [Character], from start: Int) -> Int? {
        var depth = 0
        var inString = false
        var index = start
        while index < characters.count {
            let character = characters[index]
            if inString {
                if character == "\\" { index += 1 } else if character == "\"" { inString = false }
            } else {
                switch character {
                case "\"": inString = true
                case "{", "[": depth += 1
                case "}", "]":
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default: break
                }
            }
            index += 1
        }
        return nil
    }

    private static func unescape(_ characters: [Character], at index: Int) -> Result<(Character, Int), InputError> {
        switch characters[index] {
        case "n": return .success(("\n", 1))
        case "t": return .success(("\t", 1))
        case "r": return .success(("\r", 1))
        case "0": return .success(("\0", 1))
        case "u":
            let digits = String(characters[(index + 1)..<min(index + 5, characters.count)])
            guard digits.count == 4, let code = UInt32(digits, radix: 16) else {
                return .failure(InputError("\\u needs four hex digits", column: index))
            }
            guard let scalar = Unicode.Scalar(code) else {
                return .failure(InputError(
                    "\\u\(digits) is half of a UTF-16 surrogate pair, not a character; type the character itself", column: index))
            }
            return .success((Character(scalar), 5))
        default: return .success((characters[index], 1))
        }
    }
}
