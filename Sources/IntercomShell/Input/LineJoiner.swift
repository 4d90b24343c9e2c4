/// Joins input lines into the logical lines that are run: a command-language line goes on over the next line when it
/// ends in a backslash (which is dropped). At the prompt (``continuesOpenValues``) it also goes on while a quote or a
/// JSON value is open (the line break is kept in the value); in a stream (standard input, files, `-c`) it does not,
/// so that a stray quote costs its own line only: that line fails as `invalid_input` and the next one runs. NDJSON
/// lines never continue.
public struct LineJoiner: Sendable {
    /// What one input line completes.
    public enum Joined: Sendable {
        /// A complete logical line: the number of its first line, its text with the continuations joined, and its
        /// input as read (lines joined by newlines), for the failures file and the journal.
        case line(number: Int, text: String, raw: String)
        /// A line that could not be read (invalid UTF-8, too long); a command it continued is dropped with it.
        case unreadable(number: Int, InputError)
    }

    /// The command so far: its first line's number, its text ready for the next line to be appended, its input,
    /// its size in bytes of input, and what is open in it.
    private struct Pending {
        var number: Int
        var text = ""
        var raw = ""
        var bytes = 0
        var scanner = OpenValueScanner()
    }

    private var pending: Pending?

    /// The longest logical line, in bytes of input: a quote left open by mistake must not gather the rest of a
    /// huge input.
    public let maximumBytes: Int

    /// Whether an open quote or JSON value continues a line (at the prompt), rather than only a trailing backslash.
    public let continuesOpenValues: Bool

    /// Creates a joiner with nothing pending, for logical lines of at most `maximumBytes`; `continuesOpenValues`
    /// for the prompt.
    public init(maximumBytes: Int = 1 << 20, continuesOpenValues: Bool = false) {
        self.maximumBytes = maximumBytes
        self.continuesOpenValues = continuesOpenValues
    }

    /// Adds the next input line; nil while a command goes on over further lines. Each line is scanned once, so a
    /// long continued command costs time in proportion to its length.
    public mutating func add(_ line: InputLine) -> Joined? {
        guard case .success(let content) = line.content else {
            guard case .failure(let error) = line.content else { return nil }
            defer { pending = nil }
            return .unreadable(number: pending?.number ?? line.number, error)
        }
        let continuing = pending != nil
        var current = pending ?? Pending(number: line.number)
        pending = nil
        if continuing { current.raw += "\n" }
        current.raw += content
        current.bytes += content.utf8.count + 1
        current.text += content
        let isNDJSON = LineInterpreter.isNDJSON(current.text)
        let backslash = !isNDJSON && LineInterpreter.continues(current.text)
        if !isNDJSON && continuesOpenValues { current.scanner.scan(backslash ? Self.droppingBackslash(content) : Substring(content)) }
        guard backslash || (!isNDJSON && continuesOpenValues && current.scanner.isOpen) else {
            return .line(number: current.number, text: current.text, raw: current.raw)
        }
        guard current.bytes <= maximumBytes else {
            return .unreadable(
                number: current.number, InputError("the line goes on past \(maximumBytes) bytes (is a quote left open?); it was not run"))
        }
        if backslash {
            if current.text.last == "\r" { current.text.removeLast() }
            current.text.removeLast()
        } else {
            current.text += "\n"
            if continuesOpenValues { current.scanner.scan("\n") }
        }
        pending = current
        return nil
    }

    /// `text` without its continuing backslash (and a carriage return after it).
    private static func droppingBackslash<Text: StringProtocol>(_ text: Text) -> Text.SubSequence {
        var kept = text[...]
        if kept.last == "\r" { kept = kept.dropLast() }
        return kept.dropLast()
    }

    /// Whether a command is waiting for its continuation.
    public var isContinuing: Bool { pending != nil }

    /// A command still waiting for its continuation when the input ended: its first line's number and its input.
    public var unfinished: (number: Int, raw: String)? {
        pending.map { ($0.number, $0.raw) }
    }

    /// Forgets a command waiting for its continuation (Ctrl-C at the prompt).
    public mutating func reset() {
        pending = nil
    }
}
