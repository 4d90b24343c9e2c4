public import Foundation

/// A shell command run as a child in this process's own process group, so that it shares the terminal as a
/// foreground program may (a pager reads keys from it); Foundation's `Process` puts a child in a group of its own.
public struct ForegroundChild: Sendable {
    /// The child's process id.
    public let pid: pid_t
    /// The write end of the pipe that is the child's standard input.
    public let input: Int32

    /// Starts `/bin/sh -c command` with a pipe for its standard input; nil when it cannot be started.
    public static func start(_ command: String) -> ForegroundChild? {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, ends[0])
        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, nil, &argv, environ)
        close(ends[0])
        guard status == 0 else {
            close(ends[1])
            return nil
        }
        return ForegroundChild(pid: pid, input: ends[1])
    }

    /// Closes the child's input (its end of file), waits for it to exit, and returns its exit status (128 + the
    /// signal when a signal ended it).
    @discardableResult
    public func finish() -> Int32 {
        close(input)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Self.exitStatus(status)
    }

    /// The exit status of a wait status.
    static func exitStatus(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Whether the program a shell command runs (its first word) can be found: a path that is executable, or a name
    /// on `PATH` (`environment`'s).
    public static func canRun(_ command: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let program = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) else { return false }
        if program.contains("/") { return access(program, X_OK) == 0 }
        let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return directories.contains { access("\($0)/\(program)", X_OK) == 0 }
    }
}
