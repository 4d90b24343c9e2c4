import Foundation

/// What a descriptor written to knows of the regular file behind it: how long the output is, and cutting it back.
/// A pipe or a terminal has no length and cannot be cut.
public enum RegularFileOutput {
    /// The size of the regular file open on `descriptor`; nil when it is no regular file.
    public static func size(of descriptor: Int32) -> Int? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// The length of the output written through `descriptor`: the file's size when it is open for appending (`>>`),
    /// else the offset written to; nil when it is no regular file.
    public static func length(of descriptor: Int32) -> Int? {
        guard let size = size(of: descriptor) else { return nil }
        if fcntl(descriptor, F_GETFL) & O_APPEND != 0 { return size }
        let offset = lseek(descriptor, 0, SEEK_CUR)
        return offset < 0 ? nil : Int(offset)
    }

    /// The byte at `offset` of the file open on `descriptor`, read without moving the descriptor's offset (through
    /// `/proc/self/fd` when the descriptor is open for writing only); nil when it cannot be read.
    public static func byte(at offset: Int, of descriptor: Int32) -> UInt8? {
        var byte: UInt8 = 0
        if pread(descriptor, &byte, 1, off_t(offset)) == 1 { return byte }
        let reader = open("/proc/self/fd/\(descriptor)", O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { return nil }
        defer { close(reader) }
        return pread(reader, &byte, 1, off_t(offset)) == 1 ? byte : nil
    }

    /// Cuts the file open on `descriptor` to `length` bytes and writes on from there; the errno when it cannot.
    public static func cut(_ descriptor: Int32, to length: Int) -> SystemError? {
        guard ftruncate(descriptor, off_t(length)) == 0, lseek(descriptor, off_t(length), SEEK_SET) >= 0 else {
            return SystemError(code: errno)
        }
        return nil
    }
}
