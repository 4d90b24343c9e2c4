public import Foundation
import IntercomKit

extension ConfigurationFile {
    /// Replaces the file at `path` with `text`, mode 0600, atomically: a new file beside it (its folder created 0700
    /// when missing), flushed to disk, then renamed over the old one, so that a crash or a full disk leaves either
    /// the old file or the new one. A symbolic link is followed: its target is replaced and the link stays.
    public static func save(_ text: String, to path: URL) throws(ConfigurationError) {
        let target = try resolvedTarget(path)
        let folder = target.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp")
        let descriptor: Int32
        switch PrivateFileDescriptor.open(temporary.path, flags: O_WRONLY | O_CREAT | O_TRUNC) {
        case .success(let opened): descriptor = opened
        case .failure(let error): throw ConfigurationError("cannot write \(temporary.path): \(error)")
        }
        let failure = Array(text.utf8).withUnsafeBytes { PrivateFileDescriptor.writeAll(descriptor, $0) }
            ?? (fsync(descriptor) == 0 ? nil : SystemError(code: errno))
        close(descriptor)
        if let failure {
            unlink(temporary.path)
            throw ConfigurationError("cannot write \(target.path): \(failure)")
        }
        guard rename(temporary.path, target.path) == 0 else {
            let error = SystemError(code: errno)
            unlink(temporary.path)
            throw ConfigurationError("cannot replace \(target.path): \(error)")
        }
    }

    /// Runs `edit` (read, change, save) while holding an exclusive lock on `PATH.lock` beside the file, so that two
    /// edits at once cannot lose one another's change.
    public static func whileLocked<Result>(_ path: URL, _ edit: () throws -> Result) throws -> Result {
        let target = try resolvedTarget(path)
        let lockPath = target.path + ".lock"
        let descriptor: Int32
        switch PrivateFileDescriptor.open(lockPath, flags: O_RDWR | O_CREAT) {
        case .success(let opened): descriptor = opened
        case .failure(let error): throw ConfigurationError("cannot open \(lockPath): \(error)")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw ConfigurationError("cannot lock \(lockPath): \(SystemError(code: errno))") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try edit()
    }

    /// The file `path` names, symbolic links followed, with its folder created 0700 when missing.
    private static func resolvedTarget(_ path: URL) throws(ConfigurationError) -> URL {
        let target = path.resolvingSymlinksInPath()
        let folder = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigurationError("cannot create \(folder.path): \(error.localizedDescription)")
        }
        return target
    }
}
