import Foundation

/// Which regular file something is: its device and inode, the same for every path and descriptor that reach it.
/// Written `device:inode` (its ``description``), as journals keep it.
public struct FileIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The device the file is on.
    public var device: UInt64
    /// The file's inode on that device.
    public var inode: UInt64

    /// An identity.
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// The regular file open on `descriptor`; nil when it is no regular file.
    public init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The regular file at `path`, links followed; nil when there is none.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    private init?(_ info: stat) {
        guard info.st_mode & S_IFMT == S_IFREG else { return nil }
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// `device:inode`.
    public var description: String { "\(device):\(inode)" }
}
