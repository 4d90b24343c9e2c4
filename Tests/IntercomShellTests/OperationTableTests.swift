import Foundation
import NIOHTTP1
import IntercomKit
@testable import IntercomShell
import IntercomTesting
import Testing

/// The operation table, walked whole: every operation has help and an example that parses, an effect its requests
/// agree with, at least one API, and only requests whose routes the conformance test covers.
@Suite("The operation table")
struct OperationTableTests {
    /// A body every plan can read something from: a list holding one contact, which is also a contact and a tag.
    static let universalAnswer: JSONValue = [
        "type": "list", "id": "c1", "name": "Free Trial", "external_id": "314159", "email": "somebody@example.com", "role": "user",
        "data": [["type": "contact", "id": "c1", "external_id": "314159", "email": "somebody@example.com", "role": "user"]],
        "total_count": 1, "pages": [:], "conversations": [],
    ]

    /// The requests a plan sends when every answer is `answer` (and, from its second request on, when one fails).
    static func requests(of plan: any OperationPlan, answering answer: Result<IntercomResponse, ResultRecord.Failure>) -> [IntercomRequest] {
        var plan = plan
        var sent: [IntercomRequest] = []
        var step = plan.start()
        while case .send(let request, _) = step, sent.count < 12 {
            sent.append(request)
            step = plan.received(answer)
        }
        return sent
    }

    static let executor = Executor(
        client: IntercomClient(
            configuration: IntercomConfiguration(endpoint: URL(string: "http://127.0.0.1:9/")!, credentials: Credentials(accessToken: "t"), apiVersion: "2.16")))

    @Test("every operation has help, an example that parses to it, and at least one API")
    func helpExamplesAndAPIs() throws {
        #expect(OperationTable.definitions.count == Set(OperationTable.definitions.map(\.name)).count, "a name twice")
        for definition in OperationTable.definitions {
            let name = definition.name.rawValue
            #expect(!definition.commands.isEmpty, "\(name) has no command")
            #expect(definition.v1 != nil || definition.rest != nil, "\(name) has no API")
            for command in definition.commands {
                #expect(command.operation == definition.name && !command.usage.isEmpty && !command.summary.isEmpty, "\(command.name)")
                #expect(CommandCatalog.help(for: command.words)?.contains(command.usage) == true, "help \(command.name)")
                guard case .success(.operation(let operation)) = CommandParser.parse(command.example) else {
                    Issue.record("\(name): example '\(command.example)' does not parse: \(CommandParser.parse(command.example))")
                    continue
                }
                #expect(operation.name == definition.name, "\(command.example) runs \(operation.name.rawValue)")
                if definition.v1 != nil { #expect(throws: Never.self, "\(command.example) on v1") { _ = try operation.v1Call(now: { 0 }) } }
            }
        }
    }

    @Test("every REST request a plan builds is documented, agrees with the operation's effect, and is a covered route")
    func requestsAreCoveredRoutes() throws {
        let ok = Result<IntercomResponse, ResultRecord.Failure>.success(IntercomResponse(status: 200, body: Self.universalAnswer, rateLimit: nil, headers: [:]))
        let missing = Result<IntercomResponse, ResultRecord.Failure>.failure(.init(type: .api(.notFound), status: 404, message: "Not Found"))
        var routes = Set<String>()
        for definition in OperationTable.definitions where definition.rest != nil {
            for command in definition.commands {
                guard case .success(.operation(let operation)) = CommandParser.parse(command.example) else { continue }
                let goal: RestGoal
                do { goal = try operation.restGoal(now: { 0 }) } catch {
                    #expect(error.type == .unsupported, "\(command.example): \(error.message)")
                    continue
                }
                let plan = Self.executor.plan(for: goal)
                for request in Self.requests(of: plan, answering: ok) + Self.requests(of: plan, answering: missing) {
                    let segments = request.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
                    guard case .operation(let documented, _) = APIDescription.current.match(method: request.method.rawValue, segments: segments) else {
                        Issue.record("\(command.example): \(request.method.rawValue) /\(request.path) is not documented")
                        continue
                    }
                    if operation.effect == .read {
                        #expect(request.method == .get || documented.reads, "\(command.example) reads but sends \(request.method.rawValue) /\(request.path)")
                    }
                    let route = "\(request.method.rawValue) \(documented.path)"
                    routes.insert(route)
                    if definition.name != .api {
                        #expect(ConformanceCoverage.restRoutes.contains(route), "\(command.example): \(route) is not in the conformance test")
                    }
                }
            }
        }
        #expect(routes.count >= 10, "\(routes.sorted())")
    }
}
