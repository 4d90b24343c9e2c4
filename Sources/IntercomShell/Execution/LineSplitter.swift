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
        var lines: [InputLine] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(completeLine())
            } else if overflowing {
                continue
            } else if buffer.count >= maximumLineBytes {
                overflowing = true
                buffer.removeAll(keepingCapacity: false)
            } else {
                buffer.append(byte)
            }
        }
        return lines
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
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return InputLine(number: lineNumber, content: .failure(InputError("line is not valid UTF-8")))
        }
        return InputLine(number: lineNumber, content: .success(text))
    }
}
