/// A line that cannot be run: it does not parse or fails validation. No request is sent for it.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the column, key or parameter at fault.
    public let message: String
    /// The 1-based column in the line where the problem is, when known.
    public let column: Int?
    /// Whether the line is valid but asks what only the REST API 2.x can do (an `unsupported` failure on v1).
    public var needsRestAPI = false

    /// Creates an error; `column` is put in front of the message as `COLUMN:` when known.
    public init(_ message: String, column: Int? = nil) {
        self.message = message
        self.column = column
    }

    /// The error of a valid line that asks what only the REST API 2.x can do.
    public static func needsRestAPI(_ message: String) -> InputError {
        var error = InputError(message)
        error.needsRestAPI = true
        return error
    }

    /// `message`, or `COLUMN: message`.
    public var description: String {
        column.map { "\($0): \(message)" } ?? message
    }
}
