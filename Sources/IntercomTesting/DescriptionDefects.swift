import Foundation

/// The known defects of Intercom's 2.16 description (`Tests/Fixtures/openapi-2.16-defects.txt`): the only problems
/// the conformance checks may report. Each entry names an operation, which check meets it, the text of the problem,
/// and why it is the description's fault, not the sandbox's or intercom-sh's.
public struct DescriptionDefects: Sendable {
    /// The checks that meet defects.
    public enum Check: String, Sendable {
        /// The sandbox's answers, in EveryOperationTests and RestConformanceTests.
        case answers
        /// intercom-sh's own requests, in RestConformanceTests.
        case requests
        /// `scripts/schemathesis`.
        case schemathesis
    }

    /// One known defect.
    public struct Entry: Sendable {
        /// `METHOD /path/template`, or `*` for every operation (a component schema's defect).
        public let operation: String
        /// The checks that meet it.
        public let checks: Set<Check>
        /// Texts the problem's report contains, one of which must match (checks word the same problem differently).
        public let problems: [String]
        /// Why the description is wrong.
        public let reason: String

        /// Whether `report` (`METHOD /template: …`), from `check`, is this defect.
        public func excuses(_ report: String, from check: Check) -> Bool {
            checks.contains(check) && (operation == "*" || report.hasPrefix(operation + ":")) && problems.contains { report.contains($0) }
        }
    }

    /// Every entry.
    public let entries: [Entry]

    /// Whether some entry excuses `report` from `check`.
    public func excuses(_ report: String, from check: Check) -> Bool { entries.contains { $0.excuses(report, from: check) } }

    /// The entries `check` meets that excuse none of `reports`: listed defects that no longer occur.
    public func stale(_ reports: [String], from check: Check) -> [Entry] {
        entries.filter { entry in entry.checks.contains(check) && !reports.contains { entry.excuses($0, from: check) } }
    }

    /// The file's entries: lines `METHOD /path | checks | problem [;; other wording] | reason`, the checks
    /// comma-separated; blank lines and `#` lines are comments.
    public static func load() throws -> DescriptionDefects {
        let url = RepositoryPaths.root.appendingPathComponent("Tests/Fixtures/openapi-2.16-defects.txt")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let entries = lines.filter { !$0.hasPrefix("#") && !$0.allSatisfy(\.isWhitespace) }.map { line in
            let parts = line.split(separator: "|", maxSplits: 3).map { $0.trimmingCharacters(in: .whitespaces) } + ["", "", ""]
            return Entry(
                operation: parts[0], checks: Set(parts[1].split(separator: ",").compactMap { Check(rawValue: $0.trimmingCharacters(in: .whitespaces)) }),
                problems: parts[2].components(separatedBy: ";;").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                reason: parts[3])
        }
        return DescriptionDefects(entries: entries)
    }
}
