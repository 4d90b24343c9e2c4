public import IntercomKit

extension Operation {
    /// Checks every parameter against the operation's schema and builds its v1 call.
    ///
    /// `now` gives the `created` time of an event that has none.
    /// - Throws: ``InputError`` naming the parameter at fault, or saying that v1 has no such call.
    public func v1Call(now: () -> Int64) throws(InputError) -> V1Call {
        let p = try checkedParameters()
        guard let build = definition.v1 else { throw InputError("\(name.rawValue) exists on the REST API 2.x only (--api-version 2.16)") }
        do {
            return try build(p, now)
        } catch let error as InputError {
            throw error
        } catch let error as ParameterError {
            throw InputError(error.message)
        } catch {
            throw InputError("\(error)")
        }
    }

    /// The first request of the operation's v1 call (a list's first page).
    public func request(now: () -> Int64) throws(InputError) -> IntercomRequest {
        switch try v1Call(now: now) {
        case .single(let request): return request
        case .userPages(let perPage, let tagID, let tagName):
            do { return try .getUsers(page: 1, perPage: perPage, tagID: tagID, tagName: tagName) } catch { throw InputError("\(error)") }
        }
    }

    /// The parameters, each checked against its kind: unknown names and wrong types are refused.
    func checkedParameters() throws(InputError) -> CheckedParameters {
        var values = JSONObject(minimumCapacity: parameters.count)
        for (key, value) in parameters {
            guard let spec = name.parameter(key) else {
                let known = name.parameters.map(\.name).joined(separator: ", ")
                throw InputError("\(name.rawValue) has no parameter '\(key)' (" + (known.isEmpty ? "it takes none)" : "it takes \(known))"))
            }
            if value.isNull { continue }
            values[key] = try Self.check(value, against: spec)
        }
        return CheckedParameters(values: values)
    }

    /// Checks one value and normalises it (identifiers to strings, times to Unix seconds, one item to an array).
    static func check(_ value: JSONValue, against spec: ParameterSpec) throws(InputError) -> JSONValue {
        let key = spec.name
        var wrongType: InputError { Self.wrongType(value, spec) }
        switch spec.kind {
        case .string:
            guard value.stringValue != nil else { throw wrongType }
            return value
        case .identifier:
            guard let identifier = identifier(value) else { throw wrongType }
            return identifier
        case .integer:
            guard case .integer = value else { throw wrongType }
            return value
        case .timestamp:
            guard let seconds = unixSeconds(value) else { throw wrongType }
            return .integer(seconds)
        case .boolean:
            guard case .bool = value else { throw wrongType }
            return value
        case .flatObject, .metadata:
            guard case .object(let object) = value else { throw wrongType }
            try checkFlat(object, spec: spec)
            return value
        case .increments:
            guard case .object(let object) = value else { throw wrongType }
            if let (name, bad) = object.first(where: { $0.value.doubleValue == nil }) {
                throw InputError("\(key) must hold only numbers, not \(Self.given(bad)) for '\(name)'")
            }
            return value
        case .stringArray:
            return try array(value, spec: spec, itemsAre: "strings", string)
        case .identifierArray:
            return try array(value, spec: spec, itemsAre: "strings and numbers", identifier)
        case .company:
            return try company(value, key: key, spec: spec)
        case .companies:
            let items = try array(value, spec: spec, itemsAre: "objects", object)
            var checked: [JSONValue] = []
            for (index, item) in (items.arrayValue ?? []).enumerated() {
                checked.append(try company(item, key: "\(key)[\(index)]", spec: spec))
            }
            return .array(checked)
        case .tagAction:
            guard let text = value.stringValue, TagAction(rawValue: text) != nil else {
                throw InputError("\(key) must be \"tag\" or \"untag\", not \(value.description)")
            }
            return value
        case .object:
            guard case .object = value else { throw wrongType }
            return value
        case .searchQuery(let rules):
            do {
                let query = try SearchQuery(json: value)
                try rules.check(query, customAttribute: SearchFilterCompiler.customKinds(in: query))
            } catch {
                throw InputError("\(key): \(error.message)")
            }
            return value
        }
    }

    /// The error for a value of the wrong type, built only when one is thrown (checks run on every line).
    static func wrongType(_ value: JSONValue, _ spec: ParameterSpec) -> InputError {
        InputError("\(spec.name) must be \(spec.kind.description), not \(given(value))")
    }

    /// How a wrong value is named: a number (1.5 for a whole number) or a short string (a date that is none) by
    /// its value, anything else by its type.
    static func given(_ value: JSONValue) -> String {
        switch value {
        case .double: return value.description
        case .string(let text) where text.utf8.count <= 40: return value.description
        default: return value.typeDescription
        }
    }

    /// `value` when it is a string.
    static func string(_ value: JSONValue) -> JSONValue? {
        if case .string = value { return value }
        return Optional.none
    }

    /// `value` when it is an object.
    static func object(_ value: JSONValue) -> JSONValue? {
        if case .object = value { return value }
        return Optional.none
    }

    /// A user_id as sent: a string, or a whole number's digits.
    static func identifier(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .string: return value
        case .integer(let number): return .string(String(number))
        case .bigInteger(let digits): return .string(digits)
        default: return Optional.none
        }
    }

    /// The Unix seconds of a time parameter: a number (decimals dropped) or a date text (``TimeInput``).
    static func unixSeconds(_ value: JSONValue) -> Int64? {
        switch value {
        case .integer(let seconds): return seconds
        case .double(let number) where number.isFinite && abs(number) < 9.2e15: return Int64(number)
        case .string(let text): return TimeInput.unixSeconds(from: text)
        default: return nil
        }
    }

    /// custom_data's and metadata's rules.
    static func checkFlat(_ object: JSONObject, spec: ParameterSpec) throws(InputError) {
        do {
            if spec.kind == .flatObject { try CustomDataRules.checkCustomData(object, parameter: spec.name) } else { try CustomDataRules.checkMetadata(object) }
        } catch let error as ParameterError {
            throw InputError(error.message)
        } catch {
            throw InputError("\(error)")
        }
    }

    /// An array whose items `item` accepts (and may normalise); a lone item is an array of one.
    static func array(
        _ value: JSONValue, spec: ParameterSpec, itemsAre: String, _ item: (JSONValue) -> JSONValue?
    ) throws(InputError) -> JSONValue {
        guard case .array(let items) = value else {
            guard let single = item(value) else { throw wrongType(value, spec) }
            return .array([single])
        }
        var checked: [JSONValue] = []
        checked.reserveCapacity(items.count)
        for element in items {
            guard let accepted = item(element) else { throw InputError("\(spec.name) must hold only \(itemsAre), not \(Self.given(element))") }
            checked.append(accepted)
        }
        return .array(checked)
    }

    /// A company: an object with an id; a `created_at` given as a date becomes Unix seconds.
    static func company(_ value: JSONValue, key: String, spec: ParameterSpec) throws(InputError) -> JSONValue {
        guard case .object(var company) = value else { throw wrongType(value, spec) }
        guard let id = company["id"], !id.isNull else { throw InputError("\(key) has no id") }
        if let created = company["created_at"], !created.isNull {
            guard let seconds = unixSeconds(created) else {
                throw InputError("\(key).created_at must be \(ParameterKind.timestamp.description), not \(Self.given(created))")
            }
            company["created_at"] = .integer(seconds)
        }
        return .object(company)
    }
}
