import Foundation

/// A file intercom-sh writes that may hold customer data: created with mode 0600, written line by line
/// (each write reaches the kernel at once, so a killed process loses nothing already written), with the api key
/// replaced by `***` in everything written.
actor PrivateFile {
    private let descriptor: Int32
    private let secret: String

    /// Opens `path` for appending (or truncates it first), creating it 0600.
    init(path: String, truncate: Bool, secret: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | (truncate ? O_TRUNC : O_APPEND), 0o600)
        guard descriptor >= 0 else { throw PrivateFileError(message: "cannot open \(path): \(String(cString: strerror(errno)))") }
        fchmod(descriptor, 0o600)
        self.descriptor = descriptor
        self.secret = secret
    }

    deinit { close(descriptor) }

    /// Writes `text` and a newline.
    func writeLine(_ text: String) {
        var line = text + "\n"
        if secret.count >= 4 { line = line.replacingOccurrences(of: secret, with: "***") }
        try? OutputWriter(descriptor: descriptor).write(line)
    }
}

/// A file cannot be opened.
struct PrivateFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
