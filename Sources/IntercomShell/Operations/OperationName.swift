/// The name of an operation: `op` in NDJSON, and the key of its row in ``OperationTable``. The seed's names are
/// python-intercom 0.2.13's `Intercom` methods, exactly as spelled there; each resource's file in `Definitions/`
/// declares its own.
public struct OperationName: RawRepresentable, Sendable, Hashable, Codable, Comparable {
    /// The name as written (`create_user`).
    public let rawValue: String

    /// The name `rawValue`, whether or not the table defines it.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The known name spelled `text`, or nil.
    public init?(known text: String) {
        guard OperationTable.definition(named: OperationName(rawValue: text)) != nil else { return nil }
        self.init(rawValue: text)
    }

    /// Every operation the table defines, in table order.
    public static var allCases: [OperationName] { OperationTable.definitions.map(\.name) }

    /// The operation's row in the table.
    public var definition: OperationDefinition {
        guard let found = OperationTable.definition(named: self) else { preconditionFailure("no operation '\(rawValue)' in the table") }
        return found
    }

    /// The parameters the operation takes.
    public var parameters: [ParameterSpec] { definition.parameters }

    /// The spec of the parameter called `name`, if the operation has one.
    public func parameter(_ name: String) -> ParameterSpec? {
        definition.parameters.first { $0.name == name }
    }

    /// Whether the operation only reads, whatever its parameters.
    public var isReadOnly: Bool { definition.effect == .read }

    /// Whether the operation exists on the REST API 2.x only (v1 has no counterpart).
    public var isRESTOnly: Bool { definition.v1 == nil }

    public static func < (lhs: OperationName, rhs: OperationName) -> Bool { lhs.rawValue < rhs.rawValue }
}
