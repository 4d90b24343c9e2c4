import Foundation

/// Unbuffered writes to standard output and error: each line is out as soon as it is written,
/// whatever stdout is connected to.
enum StandardStreams {
    /// Writes `text` and a newline to standard output.
    static func writeLine(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes `text` and a newline to standard error.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
