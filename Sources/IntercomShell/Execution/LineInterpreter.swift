/// Reads one line of either syntax: a line starting with `{` is an NDJSON operation, anything else is the
/// command language. Both give the same ``ParsedLine``.
public struct LineInterpreter: Sendable {
    /// The NDJSON decoder (with the `--op` default).
    public var ndjson: NDJSONOperationDecoder

    /// Creates an interpreter; `defaultOperation` applies to NDJSON lines without `"op"`.
    public init(defaultOperation: OperationName? = nil) {
        ndjson = NDJSONOperationDecoder(defaultOperation: defaultOperation)
    }

    /// Whether `text` is an NDJSON line.
    public static func isNDJSON(_ text: String) -> Bool {
        text.drop { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }.first == "{"
    }

    /// Parses one complete logical line, replacing `${…}` references from `context` when given. Byte-order marks
    /// at its start (as files joined with `cat` leave them) are dropped, in either syntax.
    public func interpret(_ text: String, context: ReferenceContext? = nil) -> Result<ParsedLine, InputError> {
        let text = text.first == "\u{FEFF}" ? String(text.drop { $0 == "\u{FEFF}" }) : text
        if Self.isNDJSON(text) {
            do {
                return .success(.operation(try ndjson.decode(text, context: context)))
            } catch {
                return .failure(error)
            }
        }
        return CommandParser.parse(text, context: context)
    }

    /// Why a logical line goes on over the next input line.
    public enum Continuation: Sendable, Hashable {
        /// It ends in a backslash, which is dropped.
        case trailingBackslash
        /// A quote or a JSON value is open; the line break belongs to the value.
        case openValue
    }

    /// Whether, and why, the command-language line `text` goes on over the next input line; NDJSON never does.
    public static func continuation(of text: String) -> Continuation? {
        if continues(text) { return .trailingBackslash }
        guard !isNDJSON(text) else { return nil }
        var scanner = OpenValueScanner()
        scanner.scan(text)
        return scanner.isOpen ? .openValue : nil
    }

    /// Whether a command-language line ends in a backslash that continues it on the next line.
    public static func continues(_ text: String) -> Bool {
        guard !isNDJSON(text) else { return false }
        var line = Substring(text)
        if line.last == "\r" { line = line.dropLast() }
        let trailing = line.reversed().prefix { $0 == "\\" }.count
        return trailing % 2 == 1
    }
}
