import Foundation
import IntercomKit
import IntercomShell
import IntercomTesting
import Testing

/// The failure types records carry: one closed, documented vocabulary.
@Suite("Failure types")
struct FailureTypeTests {
    @Test("every failure type reads back from its name, and the README documents each")
    func vocabulary() throws {
        let readme = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        for type in FailureType.allCases {
            #expect(FailureType(rawValue: type.rawValue) == type)
            #expect(readme.contains("`\(type.rawValue)`"), "README names \(type.rawValue)")
        }
        #expect(FailureType(rawValue: "cancelled") == nil, "no type outside the vocabulary")
        #expect(Set(FailureType.allCases.map(\.rawValue)).count == FailureType.allCases.count)
    }

    @Test("a record with a type outside the vocabulary does not read as a record")
    func unknownTypesAreRefused() throws {
        let record = ResultRecord(line: 1, op: "get_user", outcome: .failure(.init(type: .unknownOutcome, cause: .badGateway, message: "m")))
        #expect(ResultRecord(json: record.json) == record)
        let foreign = try JSONValue(parsing: #"{"line":1,"ok":false,"error":{"type":"cancelled","message":"m"}}"#)
        #expect(ResultRecord(json: foreign) == nil)
    }
}
