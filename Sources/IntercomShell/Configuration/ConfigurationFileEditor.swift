import Foundation
import TOMLKit

/// Edits the text of a config file line by line, so that what an edit does not touch (comments, order, other
/// profiles, top-level keys) stays as it was. Every edit is checked by parsing the result: an edit whose result
/// does not read back as intended is refused, and the text is left unchanged.
public struct ConfigurationFileEditor: Sendable {
    /// The file's text after the edits so far.
    public private(set) var text: String

    /// Starts from a file's text (empty for a new file).
    public init(text: String) { self.text = text }

    /// Whether `name` can name a profile: letters, digits, `-` and `_`, at most 64 characters.
    public static func isValidProfileName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }

    /// The profile `name` becomes exactly `settings`: a new `[profiles.NAME]` table at the end, or the existing
    /// table's key lines replaced in place (its comments stay).
    public mutating func setProfile(_ name: String, settings: [(key: String, value: String)]) throws(ConfigurationError) {
        var lines = Self.lines(of: text)
        if let section = Self.profileSection(name, in: lines) {
            lines = Self.replacingKeys(in: lines, section: section, with: settings)
        } else {
            if let last = lines.last, !last.trimmingCharacters(in: .whitespaces).isEmpty { lines.append("") }
            lines.append("[profiles.\(name)]")
            lines.append(contentsOf: settings.map { Self.keyLine($0.key, $0.value) })
        }
        let edited = lines.joined(separator: "\n") + "\n"
        try Self.check(edited, against: text) { profiles in
            var expected = profiles
            expected[name] = Dictionary(settings.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            return expected
        }
        text = edited
    }

    /// Removes the profile `name`, and the top-level `profile` key if it named it; whether that key was removed.
    /// Throws when there is no such profile.
    @discardableResult
    public mutating func removeProfile(_ name: String) throws(ConfigurationError) -> Bool {
        var lines = Self.lines(of: text)
        if let section = Self.profileSection(name, in: lines) {
            lines.removeSubrange(section)
            if section.lowerBound > 0, section.lowerBound < lines.count,
                lines[section.lowerBound - 1].trimmingCharacters(in: .whitespaces).isEmpty,
                lines[section.lowerBound].trimmingCharacters(in: .whitespaces).isEmpty
            {
                lines.remove(at: section.lowerBound)
            }
        } else {
            let keyLines = Self.profileKeyLines(name, in: lines)
            guard !keyLines.isEmpty else { throw ConfigurationError("there is no profile '\(name)' to remove") }
            for index in keyLines.reversed() { lines.remove(at: index) }
        }
        let defaultLine = Self.defaultProfileLine(naming: name, in: lines)
        if let defaultLine { lines.remove(at: defaultLine) }
        let edited = lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
        try Self.check(edited, against: text) { profiles in
            var expected = profiles
            expected[name] = nil
            return expected
        }
        text = edited
        return defaultLine != nil
    }
}

extension ConfigurationFileEditor {
    /// Makes `name` the default profile: the top-level `profile = "NAME"` line replaced, or added before the first
    /// table. Throws when there is no such profile.
    public mutating func setDefaultProfile(_ name: String) throws(ConfigurationError) {
        var lines = Self.lines(of: text)
        guard Self.profileSection(name, in: lines) != nil || !Self.profileKeyLines(name, in: lines).isEmpty else {
            throw ConfigurationError(
                "the config file has no [profiles.\(name)] table this edit can find (an inline table or dotted keys?): "
                    + "add it with intercom-sh profile add \(name), or set profile = \"\(name)\" by hand")
        }
        let firstHeader = lines.firstIndex(where: { Self.tableHeader($0) != nil }) ?? lines.count
        let line = Self.keyLine("profile", name)
        if let existing = lines[..<firstHeader].firstIndex(where: { Self.key(of: $0) == "profile" }) {
            lines[existing] = line
        } else {
            lines.insert(line, at: 0)
            if firstHeader == 0 && lines.count > 1 { lines.insert("", at: 1) }
        }
        let edited = lines.joined(separator: "\n") + "\n"
        try Self.check(edited, against: text) { $0 }
        guard (try? ConfigurationFile.parse(edited, path: "the config file"))?.defaultProfile == name else {
            throw ConfigurationError("the config file sets its default profile in a way this edit cannot follow: edit it by hand")
        }
        text = edited
    }

    static func lines(of text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// `key = "value"`, the value written as TOML writes it (quoted and escaped).
    static func keyLine(_ key: String, _ value: String) -> String {
        let rendered = TOMLTable([key: value]).convert().trimmingCharacters(in: .whitespacesAndNewlines)
        return rendered.isEmpty ? "\(key) = \"\"" : rendered
    }

    /// The dotted path of a table header line (`[profiles.x]`, `[ profiles . "x" ]  # note`), or nil.
    static func tableHeader(_ line: String) -> [String]? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") else { return nil }
        if trimmed.hasPrefix("[[") { return ["[["] }
        let rest = trimmed[trimmed.index(after: close)...].trimmingCharacters(in: .whitespaces)
        guard rest.isEmpty || rest.hasPrefix("#") else { return nil }
        return trimmed[trimmed.index(after: trimmed.startIndex)..<close].split(separator: ".").map { part in
            var key = part.trimmingCharacters(in: .whitespaces)
            if key.count >= 2, let first = key.first, first == key.last, first == "\"" || first == "'" {
                key = String(key.dropFirst().dropLast())
            }
            return key
        }
    }

    /// The lines of the `[profiles.NAME]` table: its header to its last key line (comments and blank lines just
    /// before the next header belong to that header).
    static func profileSection(_ name: String, in lines: [String]) -> Range<Int>? {
        guard let header = lines.firstIndex(where: { tableHeader($0) == ["profiles", name] }) else { return nil }
        let next = lines[(header + 1)...].firstIndex(where: { tableHeader($0) != nil }) ?? lines.count
        var end = next
        while end > header + 1, isBlankOrComment(lines[end - 1]) { end -= 1 }
        return header..<end
    }

    /// The key lines that define the profile `name` outside a `[profiles.NAME]` table: an inline table or dotted keys,
    /// `NAME = {…}` or `NAME.key = …` in the `[profiles]` table, `profiles.NAME… = …` before any table.
    static func profileKeyLines(_ name: String, in lines: [String]) -> [Int] {
        var table: [String] = []
        var found: [Int] = []
        for (index, line) in lines.enumerated() {
            if let header = tableHeader(line) {
                table = header
                continue
            }
            guard let key = key(of: line) else { continue }
            let path = table + dottedKey(key)
            if path.count >= 2, path[0] == "profiles", path[1] == name { found.append(index) }
        }
        return found
    }

    /// The parts of a dotted key (`a."b.c"` is `a`, `b.c`), unquoted.
    static func dottedKey(_ key: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for character in key {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }

    static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    /// The key a `key = value` line sets, or nil.
    static func key(of line: String) -> String? {
        guard !isBlankOrComment(line), let equals = line.firstIndex(of: "=") else { return nil }
        return line[..<equals].trimmingCharacters(in: .whitespaces)
    }

    /// The section's key lines set to `settings`: changed keys replaced where they are, keys not in `settings`
    /// removed, new keys added after the last line.
    static func replacingKeys(in lines: [String], section: Range<Int>, with settings: [(key: String, value: String)]) -> [String] {
        var body: [String] = []
        var written = Set<String>()
        for line in lines[section.dropFirst()] {
            guard let key = key(of: line) else { body.append(line); continue }
            guard let setting = settings.first(where: { $0.key == key }), !written.contains(key) else { continue }
            body.append(keyLine(setting.key, setting.value))
            written.insert(key)
        }
        body.append(contentsOf: settings.filter { !written.contains($0.key) }.map { keyLine($0.key, $0.value) })
        return Array(lines[..<section.lowerBound]) + [lines[section.lowerBound]] + body + Array(lines[section.upperBound...])
    }

    /// The top-level `profile = "NAME"` line, if it names `name`.
    static func defaultProfileLine(naming name: String, in lines: [String]) -> Int? {
        let firstHeader = lines.firstIndex(where: { tableHeader($0) != nil }) ?? lines.count
        return lines[..<firstHeader].firstIndex { line in
            guard key(of: line) == "profile", let table = try? TOMLTable(string: line) else { return false }
            return table["profile"]?.string == name
        }
    }

    /// Refuses `edited` unless it parses, its profiles are `expected(profiles before)` and its other keys are unchanged.
    static func check(
        _ edited: String, against original: String, expected: ([String: [String: String]]) -> [String: [String: String]]
    ) throws(ConfigurationError) {
        let before = try? ConfigurationFile.parse(original, path: "the config file")
        guard let after = try? ConfigurationFile.parse(edited, path: "the config file"),
            after.profiles == expected(before?.profiles ?? [:]), after.base == (before?.base ?? [:])
        else {
            throw ConfigurationError(
                "the config file defines its profiles in a way this edit cannot follow (inline tables or dotted keys): edit it by hand")
        }
    }
}
