public import Foundation

/// Runs a bash completion script the way bash does at a prompt: the words typed so far, the cursor at the end.
public enum BashCompletion {
    /// What the script's completion function offers after `words` (the last one being completed, "" for a new
    /// word); the first word is the command, run as given.
    public static func offers(
        script: URL, function: String = "_intercom-sh", words: [String], environment: [String: String] = [:]
    ) async throws -> [String] {
        let quoted = words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let line = words.joined(separator: " ")
        let program = """
            source '\(script.path)'
            COMP_WORDS=(\(quoted.joined(separator: " ")))
            COMP_CWORD=\(words.count - 1)
            COMP_LINE='\(line.replacingOccurrences(of: "'", with: "'\\''"))'
            COMP_POINT=${#COMP_LINE}
            \(function) '\(words[0])' '\(words.last ?? "")' '\(words.count > 1 ? words[words.count - 2] : "")'
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["--norc", "--noprofile", "-c", program]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = await onThread { output.fileHandleForReading.readDataToEndOfFile() }
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }
}
