import Foundation

/// Keeps a connection's secret out of text intercom-sh writes, by value, in every form intercom-sh itself sends it:
/// the Basic credential (`app_id:api_key` in base64, which is what a server echoing the request would quote), the
/// `app_id:api_key` pair, and the raw key (also percent-encoded, as in a URL) when it is at least
/// ``minimumRawLength`` characters long. A shorter key
/// cannot be told apart from data (a key `example` would turn `ben@example.com` into `ben@***.com`), so it is
/// redacted only in those encoded forms: data is never changed because it happens to contain the key's letters.
/// Each form found is replaced by `***`.
public struct SecretRedaction: Sendable, Hashable {
    /// The shortest raw key redacted wherever it appears.
    public static let minimumRawLength = 16

    /// The forms looked for, longest first, as UTF-8.
    private let forms: [[UInt8]]
    /// The raw key at any length (at least 4), for ``mayMention(_:)``.
    private let rawKey: String?

    /// The forms of `credentials`.
    public init(credentials: Credentials) {
        let key = credentials.apiKey.revealed
        var forms = [credentials.basicToken]
        if !key.isEmpty { forms.append(credentials.scheme == .bearer ? "Bearer " + key : "\(credentials.appID):\(key)") }
        if key.count >= Self.minimumRawLength {
            forms.append(key)
            if let encoded = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != key { forms.append(encoded) }
        }
        self.init(forms: forms, rawKey: key)
    }

    /// Exactly these forms (empty ones are ignored), and the raw key for ``mayMention(_:)``.
    public init(forms: [String], rawKey: String? = nil) {
        self.forms = forms.filter { !$0.isEmpty }.map { Array($0.utf8) }.sorted { $0.count > $1.count }
        self.rawKey = rawKey.flatMap { $0.count >= 4 ? $0 : nil }
    }

    /// Whether `text` may hold the secret in any form, the raw key of any length included: for decisions where
    /// a false alarm costs nothing, such as keeping a typed line out of the history file.
    public func mayMention(_ text: String) -> Bool {
        appears(in: text) || rawKey.map { text.contains($0) } ?? false
    }

    /// Nothing to redact.
    public static let none = SecretRedaction(forms: [])

    /// Whether any form occurs in `text`.
    public func appears(in text: String) -> Bool {
        var text = text
        return text.withUTF8 { haystack in
            forms.contains { form in form.withUnsafeBufferPointer { Self.firstOffset(of: $0, in: haystack) != nil } }
        }
    }

    /// `text` with every form replaced by `***`.
    public func redacted(_ text: String) -> String {
        guard appears(in: text) else { return text }
        var bytes = Array(text.utf8)
        redact(&bytes, from: 0)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Replaces every form in `bytes[start...]` by `***`.
    public func redact(_ bytes: inout [UInt8], from start: Int) {
        for form in forms {
            form.withUnsafeBufferPointer { pattern in
                var searchFrom = start
                while searchFrom < bytes.count {
                    let found = bytes.withUnsafeBufferPointer { buffer in
                        Self.firstOffset(of: pattern, in: UnsafeBufferPointer(rebasing: buffer[searchFrom...]))
                    }
                    guard let found else { return }
                    let at = searchFrom + found
                    bytes.replaceSubrange(at..<(at + pattern.count), with: "***".utf8)
                    searchFrom = at + 3
                }
            }
        }
    }

    /// The offset of the first occurrence of `pattern` in `haystack`: memchr to each candidate first byte, then
    /// memcmp (memmem is a GNU extension the Swift Glibc module does not offer).
    static func firstOffset(of pattern: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let patternStart = pattern.baseAddress, !pattern.isEmpty else { return 0 }
        guard let start = haystack.baseAddress, haystack.count >= pattern.count else { return nil }
        let lastStart = haystack.count - pattern.count
        var offset = 0
        while offset <= lastStart {
            guard let found = memchr(start + offset, Int32(pattern[0]), lastStart - offset + 1) else { return nil }
            let candidate = UnsafeRawPointer(start).distance(to: UnsafeRawPointer(found))
            if memcmp(start + candidate, patternStart, pattern.count) == 0 { return candidate }
            offset = candidate + 1
        }
        return nil
    }
}
