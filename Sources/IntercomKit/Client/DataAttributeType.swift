/// The data type of a custom attribute, read off a value: string, integer, float or boolean.
public enum DataAttributeType {
    /// `integer` for a whole number, `float` for another number, `boolean`, else `string`.
    public static func of(_ value: JSONValue) -> String {
        switch value {
        case .integer: "integer"
        case .double: "float"
        case .bool: "boolean"
        default: "string"
        }
    }
}
