import Foundation
import IntercomTesting
import Testing

/// Every input of the fuzz targets' seed corpus (`Fuzz/Corpus/TARGET`, crashers found by `scripts/fuzz` included)
/// run through the same checks as the libFuzzer targets, in the ordinary test build: a regression on a known input
/// fails here, without the sanitizer build. `scripts/fuzz` is where new inputs are searched for.
@Suite("Fuzz corpus")
struct FuzzCorpusTests {
    /// A fuzz target's check, by the target's name.
    static func check(_ target: String) -> (UnsafeRawBufferPointer) -> Void {
        switch target {
        case "FuzzCommandLanguage": FuzzChecks.checkCommandLanguage
        case "FuzzNDJSON": FuzzChecks.checkNDJSON
        default: FuzzChecks.checkInterpolation
        }
    }

    @Test("each seed passes its target's checks", arguments: ["FuzzCommandLanguage", "FuzzNDJSON", "FuzzInterpolation"])
    func replay(target: String) throws {
        let folder = RepositoryPaths.root.appendingPathComponent("Fuzz/Corpus/\(target)")
        let seeds = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(seeds.count >= 10, "the \(target) corpus has only \(seeds.count) inputs")
        let check = Self.check(target)
        for seed in seeds {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(seed))
            bytes.withUnsafeBytes { check($0) }
        }
    }
}
