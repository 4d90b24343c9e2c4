import Foundation
import IntercomKit

/// Turns the words of a readable filter into parentheses, connectives and comparisons, each comparison's value
/// typed by its field.
enum SearchFilterLexer {
    /// A word or a piece of one, with where it starts.
    struct Atom {
        var text: String
        var quoted: Bool
        var column: Int
    }

    static let operatorCharacters: Set<Character> = ["=", "!", "~", "^", "$", "<", ">"]

    static func tokens(of words: [CommandTokenizer.Word], rules: SearchRules) throws(InputError) -> [SearchFilterToken] {
        var tokens: [SearchFilterToken] = []
        var pending: [Atom] = []
        func flush() throws(InputError) {
            guard !pending.isEmpty else { return }
            tokens.append(try comparison(pending, rules: rules))
            pending = []
        }
        for atom in atoms(of: words) {
            switch (atom.quoted, atom.text.lowercased()) {
            case (false, "("): try flush(); tokens.append(.open(column: atom.column))
            case (false, ")"): try flush(); tokens.append(.close(column: atom.column))
            case (false, "and"): try flush(); tokens.append(.connective(.and, column: atom.column))
            case (false, "or"): try flush(); tokens.append(.connective(.or, column: atom.column))
            default:
                pending.append(atom)
                if isComplete(pending) { try flush() }
            }
        }
        try flush()
        return tokens
    }

    /// The words with unquoted parentheses at their ends split off; `key=value` words rejoined as typed.
    static func atoms(of words: [CommandTokenizer.Word]) -> [Atom] {
        var atoms: [Atom] = []
        for word in words {
            if let key = word.key, word.valueQuoted {
                // key="quoted value": the field and operator as typed, then the value as one quoted atom.
                atoms.append(Atom(text: key + "=", quoted: false, column: word.column))
                atoms.append(Atom(text: word.value, quoted: true, column: word.column + key.count + 1))
                continue
            }
            var text = word.key.map { "\($0)=\(word.value)" } ?? word.text
            guard !word.valueQuoted else {
                atoms.append(Atom(text: text, quoted: true, column: word.column))
                continue
            }
            var column = word.column
            while text.count > 1, text.first == "(" {
                atoms.append(Atom(text: "(", quoted: false, column: column))
                text.removeFirst()
                column += 1
            }
            var closing = 0
            while text.count > 1, text.last == ")", !word.valueQuoted { text.removeLast(); closing += 1 }
            atoms.append(Atom(text: text, quoted: word.valueQuoted, column: column))
            for offset in 0..<closing { atoms.append(Atom(text: ")", quoted: false, column: column + text.count + offset)) }
        }
        return atoms
    }

    /// Whether the atoms so far make a whole comparison: FIELD OP VALUE in one, two or three atoms.
    static func isComplete(_ atoms: [Atom]) -> Bool {
        guard let first = atoms.first else { return false }
        let (_, rest) = splitField(first.text)
        if first.quoted { return false }
        if let op = leadingOperator(rest), rest.count > op.count { return true }
        if !rest.isEmpty { return atoms.count >= 2 }
        guard atoms.count >= 2 else { return false }
        let second = atoms[1].text
        if let op = leadingOperator(second), second.count > op.count { return true }
        return atoms.count >= 3
    }

    /// A field name's characters (letters, digits, `_`, `.`), and what follows them.
    static func splitField(_ text: String) -> (field: String, rest: String) {
        let end = text.firstIndex { operatorCharacters.contains($0) || $0 == " " } ?? text.endIndex
        return (String(text[..<end]), String(text[end...]))
    }

    /// The operator at the start of `text` (the longest that fits), or `in`/`nin` as a whole word.
    static func leadingOperator(_ text: String) -> String? {
        if ["in", "nin"].contains(text.lowercased()) { return text }
        return ["!=", "!~", "<=", ">=", "=", "~", "^", "$", "<", ">"].first { text.hasPrefix($0) }
    }

    /// One comparison from its atoms.
    static func comparison(_ atoms: [Atom], rules: SearchRules) throws(InputError) -> SearchFilterToken {
        let column = atoms[0].column
        var pieces = atoms.map(\.text)
        let (field, rest) = splitField(pieces.removeFirst())
        if !rest.isEmpty { pieces.insert(rest, at: 0) }
        guard !field.isEmpty, !atoms[0].quoted else { throw InputError("a filter starts with a field name, such as email", column: column) }
        guard let first = pieces.first, let opText = leadingOperator(first) else {
            throw InputError("after \(field) comes an operator (= != ~ !~ ^ $ < <= > >= in nin)", column: column)
        }
        pieces[0].removeFirst(opText.count)
        if pieces[0].isEmpty { pieces.removeFirst() }
        guard pieces.count == 1 else { throw InputError("the filter on \(field) needs one value after \(opText)", column: column) }
        let spelled = ["in": "IN", "nin": "NIN"][opText.lowercased()] ?? opText
        guard let op = SearchOperator(rawValue: spelled) else { throw InputError("unknown operator \(opText)", column: column) }
        let quoted = atoms.last?.quoted ?? false
        let value = try typedValue(pieces[0], quoted: quoted, field: field, operator: op, column: column, rules: rules)
        return .comparison(field: field, operator: op, value: value, column: column)
    }

    /// `text` as the field's kind takes it; for `in`/`nin` an array of its comma-separated values.
    static func typedValue(
        _ text: String, quoted: Bool, field: String, operator op: SearchOperator, column: Int, rules: SearchRules
    ) throws(InputError) -> JSONValue {
        if op == .within || op == .notWithin {
            var values: [JSONValue] = []
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                values.append(try typedValue(String(part), quoted: quoted, field: field, operator: .equal, column: column, rules: rules))
            }
            return .array(values)
        }
        let kind = rules.kind(of: field)
        switch kind {
        case .date?:
            if let seconds = Int64(text) { return .integer(seconds) }
            guard let day = utcMidnight(text) else {
                throw InputError("\(field) takes a date as YYYY-MM-DD or Unix seconds, not '\(text)'", column: column)
            }
            return .integer(day)
        case .integer?:
            guard let number = Int64(text) else { throw InputError("\(field) takes a number, not '\(text)'", column: column) }
            return .integer(number)
        case .float?:
            guard let number = Double(text), number.isFinite else { throw InputError("\(field) takes a number, not '\(text)'", column: column) }
            return Int64(text).map(JSONValue.integer) ?? .double(number)
        case .boolean?:
            guard let flag = Bool(text.lowercased()) else { throw InputError("\(field) takes true or false, not '\(text)'", column: column) }
            return .bool(flag)
        case .string?, .tagID?, .memberID?:
            return .string(text)
        case nil:
            if quoted { return .string(text) }
            if let number = Int64(text) { return .integer(number) }
            if let flag = Bool(text) { return .bool(flag) }
            return .string(text)
        }
    }

    /// Midnight UTC of a YYYY-MM-DD day, in Unix seconds.
    static func utcMidnight(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day
        else { return nil }
        return Int64(date.timeIntervalSince1970)
    }
}
