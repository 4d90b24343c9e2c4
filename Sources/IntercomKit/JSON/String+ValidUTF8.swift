import Foundation

extension String {
    /// The text of `bytes` when they are valid UTF-8, or nil.
    ///
    /// The same answer as the standard library's `String(validating:as:)`, but through the specialised
    /// `String(decoding:as:)`, which replaces invalid sequences with U+FFFD: the result is accepted only when it is
    /// byte for byte the input.
    public init?(strictUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        var text = String(decoding: bytes, as: UTF8.self)
        let same = text.withUTF8 { decoded in
            decoded.count == bytes.count && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        guard same else { return nil }
        self = text
    }

    /// The text of `bytes` when they are valid UTF-8, or nil, for any collection of bytes.
    public init?(strictUTF8 bytes: some Collection<UInt8>) {
        guard
            let text = bytes.withContiguousStorageIfAvailable({ String(strictUTF8: $0) })
                ?? Array(bytes).withUnsafeBufferPointer({ String(strictUTF8: $0) })
        else { return nil }
        self = text
    }
}
