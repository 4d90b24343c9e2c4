/// Every operation of the interpreter, one row each, grouped by resource (`Definitions/`).
public enum OperationTable {
    /// The rows, in help order.
    public static let definitions: [OperationDefinition] =
        UserDefinitions.all + ActivityDefinitions.all + MessageThreadDefinitions.all + TagDefinitions.all + CompanyDefinitions.all + ConversationDefinitions.all + SegmentDefinitions.all + AttributeDefinitions.all + AdminDefinitions.all + ExportDefinitions.all + APIDefinitions.all

    private static let byName: [OperationName: OperationDefinition] = Dictionary(
        definitions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    /// The row of `name`, or nil for a name no row has.
    public static func definition(named name: OperationName) -> OperationDefinition? { byName[name] }
}
