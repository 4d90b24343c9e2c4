import IntercomKit

/// Cuts a byte stream into numbered lines, refusing (without stopping) lines that are too long or not UTF-8.
///
/// Memory stays bounded by the line limit: the bytes of an over-long line are dropped as they come and the
/// line is reported as an error once its end is found.
public struct LineSplitter: Sendable {
    /// The longest line accepted, in bytes (without its newline).
    public let maximumLineBytes: Int
    private var buffer: [UInt8] = []
    private var overflowing = false
    private var lineNumber = 0

    /// Creates a splitter.
    public init(maximumLineBytes: Int = 1 << 20) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// Feeds the next bytes; returns the lines they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [InputLine] {
        if let lines = bytes.withContiguousStorageIfAvailable({ feed(chunk: $0) }) { return lines }
        return Array(bytes).withUnsafeBufferPointer { feed(chunk: $0) }
    }

    private mutating func feed(chunk: UnsafeBufferPointer<UInt8>) -> [InputLine] {
        var lines: [InputLine] = []
        var start = 0
        while start < chunk.count {
            guard let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                append(UnsafeBufferPointer(rebasing: chunk[start...]))
                break
            }
            append(UnsafeBufferPointer(rebasing: chunk[start..<newline]))
            lines.append(completeLine())
            start = newline + 1
        }
        return lines
    }

    /// Adds part of the current line, dropping it all once it is longer than the limit.
    private mutating func append(_ part: UnsafeBufferPointer<UInt8>) {
        if overflowing || part.isEmpty { return }
        if buffer.count + part.count > maximumLineBytes {
            overflowing = true
            buffer.removeAll(keepingCapacity: false)
            return
        }
        buffer.append(contentsOf: part)
    }

    /// Ends the input; returns the last line if it had no newline.
    public mutating func finish() -> [InputLine] {
        buffer.isEmpty && !overflowing ? [] : [completeLine()]
    }

    private mutating func completeLine() -> InputLine {
        lineNumber += 1
        defer {
            buffer.removeAll(keepingCapacity: buffer.count <= 1 << 16)
            overflowing = false
        }
        if overflowing {
            return InputLine(number: lineNumber, content: .failure(InputError("line is longer than the limit of \(maximumLineBytes) bytes")))
        }
        var bytes = buffer[...]
        if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(strictUTF8: bytes) else {
            return InputLine(number: lineNumber, content: .failure(InputError("line is not valid UTF-8")))
        }
        return InputLine(number: lineNumber, content: .success(text))
    }
}
