public import Foundation
public import IntercomKit

/// Runs the built `intercom-sh` as a child process, for end-to-end tests.
public enum ExecutableRunner {
    /// What a finished run printed and how it exited.
    public struct Outcome: Sendable {
        /// Everything written to standard output.
        public let standardOutput: String
        /// Everything written to standard error.
        public let standardError: String
        /// The exit status (or the signal number, when a signal ended it).
        public let status: Int32
        /// The highest resident set size seen while it ran (VmHWM from /proc), in bytes.
        public let peakResidentBytes: Int
    }

    /// Runs `intercom-sh arguments…` with `input` on standard input (or the file `inputFile`, opened as a regular
    /// file), and waits for it (killing it after `timeout`); `program` runs another program the same way. With
    /// `appendingTo`, standard output is that file opened for appending, as `>>` opens it (and the outcome's
    /// standard output is empty).
    public static func run(
        _ arguments: [String], input: String = "", inputFile: URL? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(60), program: URL = RepositoryPaths.executable, appendingTo outputFile: URL? = nil
    ) async throws -> Outcome {
        let process = makeProcess(arguments, environment: environment, program: program)
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        if let inputFile {
            process.standardInput = try FileHandle(forReadingFrom: inputFile)
        } else {
            process.standardInput = stdin
        }
        if let outputFile {
            process.standardOutput = try appending(to: outputFile)
            try? stdout.fileHandleForWriting.close()
        } else {
            process.standardOutput = stdout
        }
        process.standardError = stderr
        try process.run()
        let watchdog = Task.detached {
            try await Task.sleep(for: timeout)
            process.terminate()
        }
        async let written: Void = onThread {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        async let output = onThread { stdout.fileHandleForReading.readDataToEndOfFile() }
        async let errors = onThread { stderr.fileHandleForReading.readDataToEndOfFile() }
        async let peak = onThread { () -> Int in
            var highest = 0
            let statusPath = "/proc/\(process.processIdentifier)/status"
            while process.isRunning {
                if let status = try? String(contentsOfFile: statusPath, encoding: .utf8),
                    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                    let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
                {
                    highest = max(highest, kilobytes * 1024)
                }
                usleep(5_000)
            }
            return highest
        }
        _ = await written
        let outputData = await output
        let errorData = await errors
        await onThread { process.waitUntilExit() }
        watchdog.cancel()
        return Outcome(
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self),
            status: process.terminationStatus,
            peakResidentBytes: await peak)
    }

    /// Starts `intercom-sh arguments…` with `environment` added (standard input from `inputFile` when given),
    /// and returns the running process with its input and
    /// output pipes, for long-running modes (standard error goes to `standardErrorFile`, or is discarded).
    /// Starts the executable on `inputFile`, kills it with SIGKILL once it has written `lines` lines (or ended), and
    /// returns the whole records it wrote (the kill may cut the last one).
    public static func killed(
        _ arguments: [String], inputFile: URL, environment: [String: String], afterLines lines: Int
    ) async throws -> [JSONValue] {
        let (process, _, output) = try start(arguments, inputFile: inputFile, environment: environment)
        var written = await onThread { () -> Data in
            var seen = Data()
            while seen.count(where: { $0 == UInt8(ascii: "\n") }) < lines {
                let chunk = output.availableData
                if chunk.isEmpty { break }
                seen += chunk
            }
            return seen
        }
        kill(process.processIdentifier, SIGKILL)
        await onThread { process.waitUntilExit() }
        written += await onThread { output.readDataToEndOfFile() }
        return try written.split(separator: UInt8(ascii: "\n")).dropLast(written.last == UInt8(ascii: "\n") ? 0 : 1)
            .map { try JSONValue(parsing: String(decoding: $0, as: UTF8.self)) }
    }

    public static func start(
        _ arguments: [String], inputFile: URL? = nil, environment: [String: String] = [:], standardErrorFile: URL? = nil,
        appendingTo outputFile: URL? = nil
    ) throws
        -> (process: Process, standardInput: FileHandle, standardOutput: FileHandle)
    {
        let process = makeProcess(arguments, environment: environment)
        let stdin = Pipe()
        let stdout = Pipe()
        if let inputFile {
            process.standardInput = try FileHandle(forReadingFrom: inputFile)
        } else {
            process.standardInput = stdin
        }
        if let outputFile {
            process.standardOutput = try appending(to: outputFile)
            try? stdout.fileHandleForWriting.close()
        } else {
            process.standardOutput = stdout
        }
        if let standardErrorFile {
            try Data().write(to: standardErrorFile)
            process.standardError = try FileHandle(forWritingTo: standardErrorFile)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return (process, stdin.fileHandleForWriting, stdout.fileHandleForReading)
    }

    /// `file` opened for appending (created 0644 when missing), as a shell's `>>` opens it.
    static func appending(to file: URL) throws -> FileHandle {
        let descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path]) }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// The built executable with `arguments`, in this process's environment plus `environment`.
    private static func makeProcess(_ arguments: [String], environment: [String: String], program: URL = RepositoryPaths.executable) -> Process {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment.merge(environment) { _, new in new }
        process.environment = processEnvironment
        return process
    }
}

extension ExecutableRunner {
    /// Reads `output` until it holds a whole first line (or ends), on a thread of its own; returns all it read.
    public static func readThroughFirstLine(_ output: FileHandle) async -> Data {
        await onThread { () -> Data in
            var data = Data()
            while !data.contains(UInt8(ascii: "\n")) {
                let chunk = output.availableData
                if chunk.isEmpty { break }
                data.append(chunk)
            }
            return data
        }
    }
}

/// Runs blocking work (pipe reads, waiting for a process) on a thread of its own, so it never holds one of
/// Swift concurrency's few threads while an in-process server needs them.
public func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.start()
    }
}
