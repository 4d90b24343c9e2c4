/// Joins input lines continued with a trailing backslash into the logical lines that are run.
struct LineJoiner {
    /// What one input line completes.
    enum Joined {
        /// A complete logical line: the number of its first line, its text with the continuations joined, and its
        /// input as read (lines joined by newlines), for the failures file and the journal.
        case line(number: Int, text: String, raw: String)
        /// A line that could not be read (invalid UTF-8, too long); a command it continued is dropped with it.
        case unreadable(number: Int, InputError)
    }

    private var pending: (number: Int, text: String, raw: String)?

    /// Adds the next input line; nil while a command goes on over further lines.
    mutating func add(_ line: InputLine) -> Joined? {
        let number = pending?.number ?? line.number
        switch line.content {
        case .failure(let error):
            pending = nil
            return .unreadable(number: number, error)
        case .success(let content):
            let text = (pending.map { String($0.text.dropLast()) } ?? "") + content
            let raw = pending.map { $0.raw + "\n" + content } ?? content
            if LineInterpreter.continues(text) {
                pending = (number, text.hasSuffix("\r") ? String(text.dropLast()) : text, raw)
                return nil
            }
            pending = nil
            return .line(number: number, text: text, raw: raw)
        }
    }

    /// A command still waiting for its continuation when the input ended: its first line's number and its input.
    var unfinished: (number: Int, raw: String)? {
        pending.map { ($0.number, $0.raw) }
    }
}
