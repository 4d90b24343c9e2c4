import Foundation

/// The one way intercom-sh opens a file that may hold customer data or secrets (journals, failures files,
/// recordings, the sandbox's database): only its owner may read or write it, mode 0600, also when it existed
/// with a wider mode; and the one way it writes bytes to a descriptor: whole, retried when interrupted, or failed
/// with the errno.
public enum PrivateFileDescriptor {
    /// Opens `path` with `flags` (plus `O_CLOEXEC`), creating it 0600 when `flags` holds `O_CREAT`, and making an
    /// existing file 0600; the descriptor, or the errno of the failure.
    public static func open(_ path: String, flags: Int32) -> Result<Int32, SystemError> {
        let descriptor = Foundation.open(path, flags | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return .failure(SystemError(code: errno)) }
        fchmod(descriptor, 0o600)
        return .success(descriptor)
    }

    /// Writes all of `bytes` to `descriptor`, going on after a partial write or an interruption; nil when every
    /// byte was written, or the errno of the write that failed (a write that makes no progress is EIO).
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> SystemError? {
        guard var next = bytes.baseAddress else { return nil }
        var remaining = bytes.count
        while remaining > 0 {
            let written = write(descriptor, next, remaining)
            if written < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard written > 0 else { return SystemError(code: written < 0 ? errno : EIO) }
            next += written
            remaining -= written
        }
        return nil
    }
}

/// A failed system call's errno.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The errno.
    public let code: Int32

    /// The error for `code`.
    public init(code: Int32) {
        self.code = code
    }

    /// The system's text for it (`No space left on device`).
    public var description: String { String(cString: strerror(code)) }
}
