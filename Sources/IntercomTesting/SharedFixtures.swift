public import Foundation

/// The python-intercom 0.2.13 fixtures in the workplace's read-only `shared/` folder beside the repository.
public enum SharedFixtures {
    /// The fixtures folder: `$INTERCOM_SH_SHARED/fixtures/python-intercom-0.2.13`, or `../shared/...` beside the repository.
    public static var directory: URL {
        if let shared = ProcessInfo.processInfo.environment["INTERCOM_SH_SHARED"] {
            return URL(fileURLWithPath: shared).appendingPathComponent("fixtures/python-intercom-0.2.13")
        }
        return RepositoryPaths.root.deletingLastPathComponent().appendingPathComponent("shared/fixtures/python-intercom-0.2.13")
    }

    /// The reference folder: `$INTERCOM_SH_SHARED/reference`, or `../shared/reference` beside the repository.
    public static var referenceDirectory: URL {
        directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("reference")
    }

    /// The names of every JSON fixture (`v1-user.json`, ...).
    public static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
    }

    /// The text of one fixture.
    public static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
}

/// Paths inside this repository and its build.
public enum RepositoryPaths {
    /// The repository root (found from this source file's path).
    public static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The built `intercom-sh`: `$INTERCOM_SH_BINARY`, or the one beside the running test binary.
    public static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["INTERCOM_SH_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        let testBinary = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        var directory = testBinary.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("intercom-sh")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/intercom-sh")
    }
}
