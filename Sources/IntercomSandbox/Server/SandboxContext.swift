public import Hummingbird
public import NIOCore

/// The per-request context of the sandbox: the connection, so that fault injection can drop it.
public struct SandboxContext: InitializableFromSource {
    /// The request's connection.
    public let channel: any Channel

    /// Takes the connection from Hummingbird's context source.
    public init(source: ApplicationRequestContextSource) {
        self.channel = source.channel
    }
}
