import Foundation
import IntercomKit
import IntercomSandbox

/// Measures the sandbox store itself, without HTTP: creates N users, then looks up N of them at random by user_id
/// and by email, in memory and in a database file. Prints one line of `key=value` per store for scripts/bench.
///
/// Usage: `sandbox-store-bench USERS DATABASE-PATH`
@main
struct StoreBenchmark {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let count = Int(arguments[1]), count > 0 else {
            FileHandle.standardError.write(Data("usage: sandbox-store-bench USERS DATABASE-PATH\n".utf8))
            exit(2)
        }
        let path = arguments[2]
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try measure(label: "memory", store: SandboxStore(), count: count)
        try measure(label: "file", store: SandboxStore(path: path), count: count)
        let reopenStart = ContinuousClock.now
        let reopened = try SandboxStore(path: path)
        let users = try reopened.statistics().users
        let reopenSeconds = (ContinuousClock.now - reopenStart) / .seconds(1)
        print("store=file-reopen users=\(users) seconds=\(String(format: "%.3f", reopenSeconds))")
    }

    static func measure(label: String, store: SandboxStore, count: Int) throws {
        let createStart = ContinuousClock.now
        for index in 0..<count {
            var changes = UserChanges()
            changes.userID = "user-\(index)"
            changes.email = "user\(index)@example.com"
            _ = try store.upsertUser(changes)
        }
        let createSeconds = (ContinuousClock.now - createStart) / .seconds(1)
        var generator = SystemRandomNumberGenerator()
        let lookupStart = ContinuousClock.now
        for round in 0..<count {
            let index = Int.random(in: 0..<count, using: &generator)
            let user = round.isMultiple(of: 2)
                ? try store.user(userID: "user-\(index)", email: nil)
                : try store.user(userID: nil, email: "USER\(index)@example.com")
            guard user["user_id"] == .string("user-\(index)") else { throw BenchmarkFailure(message: "user \(index) not found in the \(label) store") }
        }
        let lookupSeconds = (ContinuousClock.now - lookupStart) / .seconds(1)
        print(
            "store=\(label) users=\(try store.statistics().users) create_per_second=\(Int(Double(count) / createSeconds))"
                + " lookup_per_second=\(Int(Double(count) / lookupSeconds))")
    }
}

struct BenchmarkFailure: Error {
    let message: String
}
