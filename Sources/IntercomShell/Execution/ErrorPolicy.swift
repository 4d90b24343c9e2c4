/// What to do after a failed operation.
public enum ErrorPolicy: String, Sendable, CaseIterable {
    /// Go on with the next line.
    case `continue`
    /// Stop reading after the first failure.
    case stop
}
