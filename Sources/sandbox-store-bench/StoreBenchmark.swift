import Foundation
import IntercomKit
import IntercomSandbox

/// Measures the sandbox store itself, without HTTP: creates N users, then looks up N of them at random by user_id
/// and by email, in memory and in a database file. Prints one line of `key=value` per store for scripts/bench.
/// With `pages`, writes the first page of 150 contacts of a `generated:N` store over and over, in batches as the
/// REST API's list does and one contact at a time as it did before, and prints the pages per second of each.
///
/// Usage: `sandbox-store-bench USERS DATABASE-PATH` or `sandbox-store-bench pages CONTACTS`
@main
struct StoreBenchmark {
    static func main() throws {
        let arguments = CommandLine.arguments
        if arguments.count == 3, arguments[1] == "pages", let count = Int(arguments[2]), count > 0 {
            return try measurePages(contacts: count)
        }
        guard arguments.count == 3, let count = Int(arguments[1]), count > 0 else {
            FileHandle.standardError.write(Data("usage: sandbox-store-bench USERS DATABASE-PATH | pages CONTACTS\n".utf8))
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

extension StoreBenchmark {
    /// Pages of 150 per second, batched and one by one, each for about 3 seconds, alternating.
    static func measurePages(contacts: Int) throws {
        let store = SandboxStore(seed: .generated(contacts))
        var (batched, oneByOne) = (Duration.zero, Duration.zero)
        var (batchedPages, oneByOnePages) = (0, 0)
        while batched + oneByOne < .seconds(6) {
            let started = ContinuousClock.now
            var page: [UInt8] = []
            try store.listContacts(perPage: 150, startingAfter: nil).write(to: &page)
            let middle = ContinuousClock.now
            guard try store.firstContactsOneByOne(perPage: 150) == page else { throw BenchmarkFailure(message: "the two ways wrote different pages") }
            (batched, oneByOne) = (batched + (middle - started), oneByOne + (ContinuousClock.now - middle))
            (batchedPages, oneByOnePages) = (batchedPages + 1, oneByOnePages + 1)
        }
        let perSecond = { (pages: Int, time: Duration) in Int(Double(pages) / (time / .seconds(1))) }
        print("pages=batched contacts=\(contacts) per_second=\(perSecond(batchedPages, batched))")
        print("pages=one-by-one contacts=\(contacts) per_second=\(perSecond(oneByOnePages, oneByOne))")
    }
}

struct BenchmarkFailure: Error {
    let message: String
}
