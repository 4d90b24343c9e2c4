/// A line that cannot be run: it does not parse or fails validation. No request is sent for it.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the column, key or parameter at fault.
    public let message: String
    /// The 1-based column in the line where the problem is, when known.
    public let column: Int?

    /// Creates an error; `column` is put in front of the message as `COLUMN:` when known.
    public init(_ message: String, column: Int? = nil) {
        self.message = message
        self.column = column
    }

    /// `message`, or `COLUMN: message`.
    public var description: String {
        column.map { "\($0): \(message)" } ?? message
    }
}
