/// The checks python-intercom documents for `custom_data` and event `metadata`, applied before sending.
public enum CustomDataRules {
    /// Checks that `customData` is flat: every value a string, number or boolean.
    ///
    /// - Throws: ``ParameterError`` naming the first offending key (in key order).
    public static func checkCustomData(_ customData: JSONObject, parameter: String = "custom_data") throws {
        guard let (key, value) = customData.filter({ !$0.value.isFlat }).min(by: { $0.key < $1.key }) else { return }
        throw ParameterError(
            parameter: "\(parameter).\(key)",
            message: "\(parameter).\(key) is \(value.typeDescription); \(parameter) values must be strings, numbers or booleans")
    }

    /// Checks event metadata: flat like custom_data, except the two documented rich shapes,
    /// a link `{"url": …, "value": …}` and an amount `{"amount": …, "currency": …}`.
    public static func checkMetadata(_ metadata: JSONObject) throws {
        for key in metadata.keys.sorted() {
            let value = metadata[key]!
            switch value {
            case .string, .integer, .double, .bool:
                continue
            case .object(let object) where isRichLink(object) || isAmount(object):
                continue
            case .object:
                throw ParameterError(
                    parameter: "metadata.\(key)",
                    message: "metadata.\(key) is an object that is neither a link {\"url\",\"value\"} nor an amount {\"amount\",\"currency\"}")
            default:
                throw ParameterError(
                    parameter: "metadata.\(key)",
                    message: "metadata.\(key) is \(value.typeDescription); metadata values must be strings, numbers, booleans, a link or an amount")
            }
        }
    }

    private static func isRichLink(_ object: JSONObject) -> Bool {
        Set(object.keys) == ["url", "value"] && object["url"]?.stringValue != nil && object["value"]?.stringValue != nil
    }

    private static func isAmount(_ object: JSONObject) -> Bool {
        Set(object.keys) == ["amount", "currency"] && object["amount"]?.isNumber == true
            && object["currency"]?.stringValue != nil
    }
}

extension JSONValue {
    /// Whether this is a string, number or boolean: a value flat custom_data may hold.
    var isFlat: Bool {
        switch self {
        case .string, .integer, .double, .bigInteger, .bool: return true
        case .null, .array, .object: return false
        }
    }
}
