import IntercomKit
import Testing

@testable import IntercomShell

/// Every example `help` shows runs as typed: it parses, and its parameters pass the checks a real run makes.
@Suite("Help examples")
struct HelpExamplesTests {
    /// The examples of every command and language topic, with where each comes from.
    static var examples: [(source: String, line: String)] {
        var examples = CommandCatalog.commands.map { ("help \($0.name)", $0.example) }
        for spec in CommandCatalog.commands {
            for detail in spec.details where detail.hasPrefix("example: ") { examples.append(("help \(spec.name)", String(detail.dropFirst(9)))) }
        }
        for topic in CommandCatalog.languageTopics {
            for detail in topic.details where detail.hasPrefix("example: ") { examples.append(("help \(topic.names[0])", String(detail.dropFirst(9)))) }
        }
        return examples
    }

    @Test("every example parses and passes the checks of the API it is for")
    func examplesRun() {
        #expect(Self.examples.count > 50)
        // `set` and `record` are the prompt's own; the prompt's tests type their examples.
        for (source, line) in Self.examples where !line.hasPrefix("set ") && !line.hasPrefix("record ") {
            switch CommandParser.parse(line) {
            case .failure(let error):
                Issue.record("\(source): '\(line)' does not parse: \(error)")
            case .success(.operation(let operation)):
                let definition = operation.definition
                var checked = false
                if definition.rest != nil {
                    do throws(ResultRecord.Failure) { _ = try operation.restGoal(now: { 1_700_000_000 }); checked = true } catch {
                        if error.type != .unsupported { Issue.record("\(source): '\(line)' fails its 2.x checks: \(error.message)") }
                    }
                }
                if definition.v1 != nil, !checked {
                    do { _ = try operation.v1Call(now: { 1_700_000_000 }) } catch { Issue.record("\(source): '\(line)' fails its v1 checks: \(error)") }
                }
            case .success:
                break
            }
        }
    }
}
