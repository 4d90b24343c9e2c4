/// One line of input as read: its 1-based number and its text, or why it could not be read.
public struct InputLine: Sendable, Hashable {
    /// The line number, from 1.
    public var number: Int
    /// The text without its line ending, or the reason it is unreadable (invalid UTF-8, too long).
    public var content: Result<String, InputError>

    /// Creates a line.
    public init(number: Int, content: Result<String, InputError>) {
        self.number = number
        self.content = content
    }
}

/// An in-memory list of lines as an async sequence (for `-c` and sourced files).
public struct InputLineList: AsyncSequence, Sendable {
    /// The lines.
    public let lines: [InputLine]

    /// Creates the list.
    public init(lines: [InputLine]) { self.lines = lines }

    /// Iterates the lines in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: ArraySlice<InputLine>
        /// The next line.
        public mutating func next() async -> InputLine? { remaining.popFirst() }
    }

    /// Starts at the first line.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: lines[...]) }
}
