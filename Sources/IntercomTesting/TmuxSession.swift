import Foundation

/// A program running on a pseudo-terminal under tmux, driven like a person would: keys in, screen out.
public final class TmuxSession: Sendable {
    /// The tmux session's name.
    public let name: String

    /// Starts `command` (a shell command line) in a detached tmux session of `width`×`height` with `environment`.
    public init(command: String, environment: [String: String] = [:], width: Int = 160, height: Int = 50) async throws {
        name = "intercom-sh-test-\(UUID().uuidString.prefix(8))"
        let exports = environment.map { "export \($0.key)='\($0.value)';" }.joined(separator: " ")
        let arguments = ["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), "\(exports) \(command); sleep 600"]
        // The server stays up between sessions (exit-empty off): one shutting down as the last session ends would
        // refuse the next session. A session refused all the same is asked for once more.
        _ = try? await Self.tmux(["start-server", ";", "set-option", "-s", "exit-empty", "off"])
        do {
            try await Self.tmux(arguments)
        } catch {
            try await Task.sleep(for: .milliseconds(200))
            try await Self.tmux(arguments)
        }
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

    /// The tmux socket the tests use (`tmux -L`), apart from any tmux server of the person running them.
    public static let socketName = "intercom-sh-tests"

    /// Runs `tmux arguments…` on the tests' socket and returns what it printed.
    ///
    /// tmux is spawned and reaped here, not through Foundation's `Process`: the first command starts the tmux
    /// server, which forks from the client and keeps every descriptor the client inherited, so neither an output
    /// pipe nor `Process`'s own exit watch would ever see the client end. The output goes through a file.
    @discardableResult
    static func tmux(_ arguments: [String]) async throws -> String {
        try await onThread { () -> Result<String, TmuxFailure> in
            let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-tmux-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: outputPath) }
            let status = spawnAndWait(["tmux", "-L", socketName] + arguments, outputPath: outputPath)
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            guard status == 0 else { return .failure(TmuxFailure(message: "tmux \(arguments.first ?? "") (status \(status)): \(text)")) }
            return .success(text)
        }.get()
    }

    /// Runs `arguments` (looked up on PATH) with standard input from /dev/null and standard output and error into
    /// the file at `outputPath`, waits for it and returns its exit status (-1 when it could not be started).
    private static func spawnAndWait(_ arguments: [String], outputPath: String) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Stops the tests' tmux server and every session left on it.
    public static func stopServer() async {
        _ = try? await tmux(["kill-server"])
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
