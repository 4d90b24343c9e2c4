import Foundation

/// Echo of typed keys on the terminal of standard input, turned off while the prompt waits for an answer: keys typed
/// ahead stay in the input for the next prompt instead of landing in the middle of the output.
public struct TerminalEcho: Sendable {
    private let saved: termios?

    /// Turns echo off (when standard input is a terminal) and remembers how it was.
    public static func off() -> TerminalEcho {
        var settings = termios()
        guard isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, &settings) == 0 else { return TerminalEcho(saved: nil) }
        var quiet = settings
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        return TerminalEcho(saved: settings)
    }

    /// Puts echo back as it was.
    public func restore() {
        guard var saved else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
    }
}
