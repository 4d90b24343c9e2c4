/// A call's parameters were rejected before any request was sent.
public struct ParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The parameter at fault, as a dotted path (`custom_data.plan`), when one is to blame.
    public let parameter: String?
    /// What is wrong with it.
    public let message: String

    /// Creates the error for `parameter`.
    public init(parameter: String?, message: String) {
        self.parameter = parameter
        self.message = message
    }

    /// The message, which names the parameter.
    public var description: String { message }
}
