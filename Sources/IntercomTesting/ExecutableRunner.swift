public import Foundation

/// Runs the built `intercom-sh` as a child process, for end-to-end tests.
public enum ExecutableRunner {
    /// What a finished run printed and how it exited.
    public struct Outcome: Sendable {
        /// Everything written to standard output.
        public let standardOutput: String
        /// Everything written to standard error.
        public let standardError: String
        /// The exit status (or 128 + the signal number).
        public let status: Int32
    }

    /// Runs `intercom-sh arguments…` with `input` on standard input, and waits for it (killing it after `timeout`).
    public static func run(
        _ arguments: [String], input: String = "", environment: [String: String] = [:], timeout: Duration = .seconds(60)
    ) async throws -> Outcome {
        let process = Process()
        process.executableURL = RepositoryPaths.executable
        process.arguments = arguments
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment.merge(environment) { _, new in new }
        process.environment = processEnvironment
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = Task.detached {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        let output = Task.detached { stdout.fileHandleForReading.readDataToEndOfFile() }
        let errors = Task.detached { stderr.fileHandleForReading.readDataToEndOfFile() }
        let watchdog = Task.detached {
            try await Task.sleep(for: timeout)
            process.terminate()
        }
        await writer.value
        let outputData = await output.value
        let errorData = await errors.value
        process.waitUntilExit()
        watchdog.cancel()
        return Outcome(
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self),
            status: process.terminationStatus)
    }

    /// Starts `intercom-sh arguments…` and returns the running process with its output pipe, for long-running modes.
    public static func start(_ arguments: [String]) throws -> (process: Process, standardOutput: FileHandle) {
        let process = Process()
        process.executableURL = RepositoryPaths.executable
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, stdout.fileHandleForReading)
    }
}
