/// Joins input lines into the logical lines that are run, by one rule for every face (files, standard input, `-c`
/// and the prompt): a command-language line goes on over the next line when it ends in a backslash (which is
/// dropped) or while a quote or a JSON value is open (the line break is kept in the value). NDJSON lines never
/// continue.
public struct LineJoiner: Sendable {
    /// What one input line completes.
    public enum Joined: Sendable {
        /// A complete logical line: the number of its first line, its text with the continuations joined, and its
        /// input as read (lines joined by newlines), for the failures file and the journal.
        case line(number: Int, text: String, raw: String)
        /// A line that could not be read (invalid UTF-8, too long); a command it continued is dropped with it.
        case unreadable(number: Int, InputError)
    }

    /// The command so far: its first line's number, its text ready for the next line to be appended, and its input.
    private var pending: (number: Int, text: String, raw: String)?

    /// The longest logical line, in bytes of input: a quote left open by mistake must not gather the rest of a
    /// huge input.
    public let maximumBytes: Int

    /// Creates a joiner with nothing pending, for logical lines of at most `maximumBytes`.
    public init(maximumBytes: Int = 1 << 20) {
        self.maximumBytes = maximumBytes
    }

    /// Adds the next input line; nil while a command goes on over further lines.
    public mutating func add(_ line: InputLine) -> Joined? {
        let number = pending?.number ?? line.number
        switch line.content {
        case .failure(let error):
            pending = nil
            return .unreadable(number: number, error)
        case .success(let content):
            let text = (pending?.text ?? "") + content
            let raw = pending.map { $0.raw + "\n" + content } ?? content
            let continuation = LineInterpreter.continuation(of: text)
            if continuation != nil, raw.utf8.count > maximumBytes {
                pending = nil
                return .unreadable(
                    number: number, InputError("the line goes on past \(maximumBytes) bytes (is a quote left open?); it was not run"))
            }
            switch continuation {
            case .trailingBackslash:
                var kept = Substring(text)
                if kept.last == "\r" { kept = kept.dropLast() }
                pending = (number, String(kept.dropLast()), raw)
                return nil
            case .openValue:
                pending = (number, text + "\n", raw)
                return nil
            case nil:
                pending = nil
                return .line(number: number, text: text, raw: raw)
            }
        }
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
