import Foundation
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

extension SandboxContext {
    /// The path parameter `key`, percent-decoded (`a%20b` is `a b`); a 400 when it is not valid percent-encoding
    /// or holds a control character.
    func decoded(_ key: String) throws -> String {
        guard let text = Self.decodedSegment(try parameters.require(key)[...]) else { throw SandboxError.restInvalid("\(key) is not a valid path segment") }
        return text
    }

    /// A path segment percent-decoded; nil when it is not valid percent-encoding or holds a control character.
    static func decodedSegment(_ raw: Substring) -> String? {
        guard let text = raw.removingPercentEncoding, !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return nil }
        return text
    }
}
