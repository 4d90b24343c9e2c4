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

    /// Closes the child's input (its end of file) and waits for it to exit.
    public func finish() {
        close(input)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
