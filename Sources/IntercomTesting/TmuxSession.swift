import Foundation

/// A program running on a pseudo-terminal under tmux, driven like a person would: keys in, screen out.
public final class TmuxSession: Sendable {
    /// The tmux session's name.
    public let name: String

    /// Starts `command` (a shell command line) in a detached tmux session of `width`×`height` with `environment`.
    public init(command: String, environment: [String: String] = [:], width: Int = 160, height: Int = 50) async throws {
        name = "intercom-sh-test-\(UUID().uuidString.prefix(8))"
        let exports = environment.map { "export \($0.key)='\($0.value)';" }.joined(separator: " ")
        try await Self.tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), "\(exports) \(command); sleep 600"])
    }

    /// Sends keys (tmux key names such as `Enter`, `Tab`, `C-c`, `C-d`, `Up`, or literal text).
    public func send(_ keys: String...) async throws {
        try await Self.tmux(["send-keys", "-t", name] + keys)
    }

    /// Sends text literally (no key-name lookup).
    public func type(_ text: String) async throws {
        try await Self.tmux(["send-keys", "-t", name, "-l", text])
    }

    /// The visible screen, plus scroll-back.
    public func screen() async throws -> String {
        try await Self.tmux(["capture-pane", "-p", "-J", "-t", name, "-S", "-500"])
    }

    /// Waits until the screen satisfies `condition`, and returns it; throws after `timeout` with the last screen.
    @discardableResult
    public func waitFor(timeout: Duration = .seconds(15), _ description: String, _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try await screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TmuxTimeout(description: description, screen: last)
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(15)) async throws -> String {
        try await waitFor(timeout: timeout, "'\(text)' on screen") { $0.contains(text) }
    }

    /// Ends the session and its program.
    public func kill() async {
        _ = try? await Self.tmux(["kill-session", "-t", name])
    }

    @discardableResult
    static func tmux(_ arguments: [String]) async throws -> String {
        try await onThread { () -> Result<String, TmuxFailure> in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["tmux"] + arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            do { try process.run() } catch { return .failure(TmuxFailure(message: "cannot run tmux: \(error)")) }
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            guard process.terminationStatus == 0 else { return .failure(TmuxFailure(message: "tmux \(arguments.first ?? ""): \(text)")) }
            return .success(text)
        }.get()
    }
}

/// The screen never showed what was expected.
public struct TmuxTimeout: Error, CustomStringConvertible {
    /// What was awaited.
    public let description: String
    /// The last screen seen.
    public let screen: String
}

/// tmux itself failed.
public struct TmuxFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// The message.
    public var description: String { message }
}
