import Foundation
import IntercomShell

/// A profile command's user-facing failure: its message, and exit status 2 (bad arguments) or 3 (the config file).
struct ProfileFailure: Error, CustomStringConvertible {
    let description: String
    let status: Int32

    /// Prints the message on standard error and exits with the status.
    func exit() -> Never {
        try? OutputWriter.standardError.write("intercom-sh: \(description)\n")
        Foundation.exit(status)
    }
}

extension ProfileFailure {
    /// There is no profile `name` in the config file at `path` (exit status 3).
    static func unknown(_ name: String, in path: URL) -> ProfileFailure {
        ProfileFailure(description: "no profile '\(name)' in \(path.path)", status: 3)
    }

    /// The profile `name` exists and may not be replaced (exit status 2).
    static func exists(_ name: String, in path: URL) -> ProfileFailure {
        ProfileFailure(description: "profile '\(name)' exists in \(path.path): add --replace to replace it", status: 2)
    }

    /// Runs `body`, turning a configuration error into exit status 3 with its message.
    static func reporting(_ body: () throws -> Void) throws {
        do { try body() } catch let failure as ProfileFailure {
            failure.exit()
        } catch let error as ConfigurationError {
            ProfileFailure(description: error.message, status: 3).exit()
        }
    }
}
