import Foundation
import IntercomKit
import IntercomTesting
import Testing

/// The built `intercom-sh`, run as a user runs it.
@Suite("intercom-sh executable")
struct ExecutableBasicsTests {
    @Test("--version prints the version and the API versions this build speaks")
    func version() async throws {
        let outcome = try await ExecutableRunner.run(["--version"])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "\(IntercomKitVersion.current) (Intercom API: v1, 2.16)")
    }

    @Test("--help describes the tool and its sandbox")
    func help() async throws {
        let outcome = try await ExecutableRunner.run(["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("USAGE: intercom-sh"))
        #expect(outcome.standardOutput.contains("sandbox"))
        #expect(outcome.standardOutput.contains("EXAMPLES\n\n  intercom-sh --sandbox\n"))
        // Each command's usage and summary on lines of their own, none broken by the 80-column wrap.
        #expect(outcome.standardOutput.contains("  find user <ident> | email=<email> | user_id=<id> | id=<contact id, 2.x>\n      Show one user.\n"))
        let long = outcome.standardOutput.split(separator: "\n").filter { $0.count > 80 && !$0.contains("{\"line\"") }
        #expect(long.isEmpty, "\(long)")
        let sandboxHelp = try await ExecutableRunner.run(["sandbox", "--help"])
        #expect(sandboxHelp.status == 0)
        for text in ["--seed", "--rate-limit", "--faults", "drop-before", "drop-after", "latency=DUR"] {
            #expect(sandboxHelp.standardOutput.contains(text), "\(text)")
        }
    }

    @Test("sandbox --seed demo --port 0 prints its URL first, serves Somebody, and stops on SIGTERM")
    func sandboxServes() async throws {
        let (process, _, output) = try ExecutableRunner.start(["sandbox", "--seed", "demo", "--port", "0"])
        defer { if process.isRunning { process.terminate() } }
        let firstLine = try #require(await onThread { Self.readLine(output) })
        #expect(firstLine.hasPrefix("http://127.0.0.1:"))
        #expect(firstLine.hasSuffix("/v1/"))
        let answer = try await RawHTTP.send("GET", firstLine + "users?email=somebody%40example.com")
        #expect(answer.status == 200)
        #expect(try JSONValue(parsing: answer.body)["name"] == "Somebody")
        process.terminate()
        await onThread { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
    }

    @Test("sandbox stops cleanly on SIGINT too")
    func sandboxStopsOnInterrupt() async throws {
        let (process, _, output) = try ExecutableRunner.start(["sandbox", "--port", "0"])
        defer { if process.isRunning { process.terminate() } }
        _ = try #require(await onThread { Self.readLine(output) })
        process.interrupt()
        await onThread { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
    }

    @Test("bad sandbox options are refused with a message saying why")
    func badOptions() async throws {
        let faults = try await ExecutableRunner.run(["sandbox", "--faults", "404=5%"])
        #expect(faults.status != 0)
        #expect(faults.standardError.contains("unknown fault '404'"))
        let rate = try await ExecutableRunner.run(["sandbox", "--rate-limit", "fast"])
        #expect(rate.status != 0)
        #expect(rate.standardError.contains("N/Ts"))
    }

    @Test("a taken port or a host that does not resolve is said in words, with what to do")
    func sandboxStartFailures() async throws {
        let (process, _, output) = try ExecutableRunner.start(["sandbox", "--port", "0"])
        defer { if process.isRunning { process.terminate() } }
        let first = try #require(await onThread { Self.readLine(output) })
        let port = try #require(URL(string: first)?.port)
        let taken = try await ExecutableRunner.run(["sandbox", "--port", String(port)])
        #expect(taken.status != 0 && taken.standardError.contains("port \(port) on 127.0.0.1 is in use: pick another with --port"), "\(taken.standardError)")
        #expect(!taken.standardError.contains("errno"))
        let unknown = try await ExecutableRunner.run(["sandbox", "--port", "0", "--host", "no-such-host.invalid"])
        #expect(unknown.status != 0 && unknown.standardError.contains("the host 'no-such-host.invalid' does not resolve"), "\(unknown.standardError)")
        #expect(!unknown.standardError.contains("SocketAddressError"))
    }

    @Test("on a terminal the sandbox says how to reach each face, with which credentials")
    func sandboxSaysHowToReachIt() async throws {
        let session = try await TmuxSession(command: "'\(RepositoryPaths.executable.path)' sandbox --port 0", environment: ["TERM": "xterm"])
        defer { Task { await session.kill() } }
        let screen = try await session.waitFor("Ctrl-C stops it")
        #expect(screen.contains("(app id dummy-app-id, api key dummy-api-key)") && screen.contains("(access token dummy-access-token"), "\(screen)")
        let given = try await TmuxSession(
            command: "'\(RepositoryPaths.executable.path)' sandbox --port 0 --access-token my-own-secret-token", environment: ["TERM": "xterm"])
        defer { Task { await given.kill() } }
        let told = try await given.waitFor("Ctrl-C stops it")
        #expect(told.contains("the --access-token given") && !told.contains("my-own-secret-token"), "a secret given is not repeated: \(told)")
    }

    /// Reads one line from a pipe (blocking until it arrives or the pipe closes).
    static func readLine(_ handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
