public import Hummingbird
public import NIOCore

/// The per-request context of the sandbox: the connection, so that fault injection can drop it, and what
/// Hummingbird's router needs (the REST API face is routed).
public struct SandboxContext: RequestContext {
    /// The request's connection.
    public let channel: any Channel
    /// The router's per-request storage (route parameters, logger).
    public var coreContext: CoreRequestContextStorage

    /// Takes the connection from Hummingbird's context source.
    public init(source: ApplicationRequestContextSource) {
        self.channel = source.channel
        self.coreContext = CoreRequestContextStorage(source: source)
    }
}
