import Foundation

/// The terminal's settings while a secret is read without echo, restored by the SIGINT handler.
nonisolated(unsafe) private var terminalBeforeSecret = termios()

/// Reads a secret: at a terminal, after a prompt on standard error and without echo (Ctrl-C restores the echo
/// and exits 130); otherwise the first line of standard input. Trailing CR and LF are dropped.
enum SecretPrompt {
    /// The secret, or nil at end of input.
    static func read(prompt: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return trimmed(readLine(strippingNewline: true)) }
        guard tcgetattr(STDIN_FILENO, &terminalBeforeSecret) == 0 else {
            try? OutputWriter.standardError.write(prompt)
            return trimmed(readLine(strippingNewline: true))
        }
        var silent = terminalBeforeSecret
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ECHONL)
        let previous = signal(SIGINT) { _ in
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &terminalBeforeSecret)
            _exit(130)
        }
        // Ctrl-C must reach that handler even when the parent started us with SIGINT blocked.
        var interrupt = sigset_t()
        var previousMask = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, &previousMask)
        defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        // The prompt shows once echo is off and Ctrl-C is handled: what is typed after it is never shown.
        try? OutputWriter.standardError.write(prompt)
        let line = readLine(strippingNewline: true)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &terminalBeforeSecret)
        signal(SIGINT, previous)
        return trimmed(line)
    }

    private static func trimmed(_ line: String?) -> String? {
        guard var line else { return nil }
        while line.hasSuffix("\r") || line.hasSuffix("\n") { line.removeLast() }
        return line
    }
}
