import Foundation
import Synchronization

/// Keeps a connection's secret out of text intercom-sh writes, by value, in every form intercom-sh or its libraries
/// write it: the Basic credential (`app_id:api_key` in base64, which is what a server echoing the request would
/// quote), the `Bearer TOKEN` and `app_id:api_key` forms, and, when the secret is at least ``minimumRawLength``
/// characters long, the raw secret and each of its encodings (``encodings(of:)``: percent-encoded as a path segment,
/// a form query, or everything but letters and digits, with upper- or lower-case hex; escaped as in JSON or a Swift
/// string literal; as hex, in any case; in base64). A shorter secret cannot be told apart from data (a key `example` would turn
/// `ben@example.com` into `ben@***.com`), so it is redacted only in the first forms: data is never changed because it happens to
/// contain the key's letters. Each form found is replaced by `***`.
///
/// The Basic credential, the `Bearer TOKEN` and `app_id:api_key` forms, and a secret that long with its base64 are
/// also found with any mix of their characters escaped, as servers and proxies write them in their own ways (`%HH`
/// in either case, `\/`, `\\`, `\"`, `\u00HH`): ``escapedMatchLength(of:in:at:)``.
///
/// Text is redacted before it is cut (``cut(_:to:)``), so that a cut never leaves part of a secret behind.
public struct SecretRedaction: Sendable, Hashable {
    /// The shortest raw key redacted wherever it appears.
    public static let minimumRawLength = 16

    /// The forms looked for, longest first.
    private let forms: [Form]
    /// The raw key at any length (at least 4), for ``mayMention(_:)``.
    private let rawKey: String?
    /// The forms also matched with any of their characters escaped, as UTF-8.
    private let escapedForms: [[UInt8]]

    /// The forms of `credentials`.
    public init(credentials: Credentials) {
        let key = credentials.apiKey.revealed
        var forms = [credentials.basicToken]
        if !key.isEmpty { forms.append(credentials.scheme == .bearer ? "Bearer " + key : "\(credentials.appID):\(key)") }
        let escaped = forms + (key.count >= Self.minimumRawLength ? [key] + Self.base64Cores(of: Array(key.utf8)) : [])
        if key.count >= Self.minimumRawLength { forms += Self.encodings(of: key) }
        self.init(forms: forms, rawKey: key, escapedForms: escaped)
    }

    /// `secret` as it is written by each encoder intercom-sh and its libraries use, or a server may echo it:
    /// itself, percent-encoded (as a path segment, as a form query, and everything but ASCII letters and digits; each
    /// with upper- and lower-case hex), escaped inside a JSON string (with and without `\/`) or a Swift string
    /// literal, as hex digits, and in base64 (both alphabets, at any alignment within longer base64 text).
    public static func encodings(of secret: String) -> [String] {
        let percent = [
            IntercomRequest.pathSegment(secret), IntercomRequest.formEncode(secret),
            secret.addingPercentEncoding(withAllowedCharacters: asciiAlphanumerics) ?? secret,
        ]
        let json = JSONValue.string(secret).encodedString().dropFirst().dropLast()
        let swift = secret.debugDescription.dropFirst().dropLast()
        let hex = secret.utf8.map { String(format: "%02x", $0) }.joined()
        let all = [secret] + percent + percent.map(lowercasingHex) + [String(json), json.replacingOccurrences(of: "/", with: "\\/"), String(swift)]
            + [hex, hex.uppercased()] + base64Cores(of: Array(secret.utf8))
        var seen = Set<String>()
        return all.filter { seen.insert($0).inserted }
    }

    /// The base64 text (standard and URL-safe alphabets) that `bytes` give wherever they sit in a longer encoded
    /// run: for each of the three alignments, the characters that only the secret's bits decide.
    static func base64Cores(of bytes: [UInt8]) -> [String] {
        var cores: [String] = []
        for offset in 0..<3 {
            let encoded = Array((Data(repeating: 0, count: offset) + Data(bytes)).base64EncodedString().utf8)
            let start = (8 * offset + 5) / 6
            let end = 8 * (offset + bytes.count) / 6
            guard end > start else { continue }
            let core = String(decoding: encoded[start..<end], as: UTF8.self)
            cores += [core, core.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")]
        }
        return cores
    }

    private static let asciiAlphanumerics = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// `text` with the two hex digits after each `%` in lower case.
    private static func lowercasingHex(_ text: String) -> String {
        var result = ""
        var hexLeft = 0
        for character in text {
            if hexLeft > 0 {
                result += character.lowercased()
                hexLeft -= 1
            } else {
                result.append(character)
                if character == "%" { hexLeft = 2 }
            }
        }
        return result
    }

    /// Exactly these forms (empty ones are ignored), the raw key for ``mayMention(_:)``, and forms also found with
    /// their characters escaped.
    public init(forms: [String], rawKey: String? = nil, escapedForms: [String] = []) {
        var seenForms = Set<Form>()
        self.forms = forms.filter { !$0.isEmpty }.map(Form.init).filter { seenForms.insert($0).inserted }.sorted { $0.bytes.count > $1.bytes.count }
        self.rawKey = rawKey.flatMap { $0.count >= 4 ? $0 : nil }
        var seen = Set<String>()
        self.escapedForms = escapedForms.filter { !$0.isEmpty && seen.insert($0).inserted }.map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    /// Whether `text` may hold the secret in any form, the raw key of any length included: for decisions where
    /// a false alarm costs nothing, such as keeping a typed line out of the history file.
    public func mayMention(_ text: String) -> Bool {
        appears(in: text) || rawKey.map { text.contains($0) } ?? false
    }

    /// Nothing to redact.
    public static let none = SecretRedaction(forms: [])

    /// Whether any form occurs in `text`, or the secret with characters escaped.
    public func appears(in text: String) -> Bool {
        var text = text
        return text.withUTF8 { haystack in
            forms.contains { form in Self.firstOffset(of: form, in: haystack) != nil }
                || firstEscaped(in: haystack, from: 0) != nil
        }
    }

    /// `text` with every form replaced by `***`.
    public func redacted(_ text: String) -> String {
        guard appears(in: text) else { return text }
        var bytes = Array(text.utf8)
        redact(&bytes, from: 0)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Replaces every form in `bytes[start...]` by `***`, then the forms written with escaped characters.
    public func redact(_ bytes: inout [UInt8], from start: Int) {
        redactForms(&bytes, from: start)
        var searchFrom = start
        while let found = bytes.withUnsafeBufferPointer({ firstEscaped(in: $0, from: searchFrom) }) {
            bytes.replaceSubrange(found.offset..<(found.offset + found.length), with: "***".utf8)
            searchFrom = found.offset + 3
        }
    }

    /// Where a form is first written with escaped characters in `haystack[start...]` (the longest form, where two
    /// start at one offset), if one is. Only text holding a `%` or a `\\` is searched (the plain forms are found as
    /// they are).
    private func firstEscaped(in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> (offset: Int, length: Int)? {
        guard !escapedForms.isEmpty, start < haystack.count, let base = haystack.baseAddress,
            memchr(base + start, Int32(UInt8(ascii: "%")), haystack.count - start) != nil
                || memchr(base + start, Int32(UInt8(ascii: "\\")), haystack.count - start) != nil
        else { return nil }
        for offset in start..<haystack.count {
            for form in escapedForms {
                if let length = Self.escapedMatchLength(of: form, in: haystack, at: offset) { return (offset, length) }
            }
        }
        return nil
    }

    /// The length of `secret` written at `offset` of `bytes` with each character as it is or escaped (`%HH` in
    /// either case, percent-encoded again any number of times as `%25HH`, `+` for a space, `\/`, `\\`, `\"`,
    /// `\u00HH`); nil when it is not there.
    static func escapedMatchLength(of secret: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int? {
        var index = offset
        for expected in secret {
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            if byte == expected || (byte == UInt8(ascii: "+") && expected == UInt8(ascii: " ")) {
                index += 1
            } else if byte == UInt8(ascii: "%"), let length = percentLength(bytes, at: index, for: expected) {
                index += length
            } else if byte == UInt8(ascii: "\\"), index + 1 < bytes.count, let length = escapeLength(bytes, at: index, for: expected) {
                index += length
            } else {
                return nil
            }
        }
        return index - offset
    }

    /// The length of the percent escape at `index` when it stands for `expected`: `%HH`, or `%25…25HH` (encoded
    /// again, once or more).
    private static func percentLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, for expected: UInt8) -> Int? {
        var digits = index + 1
        while digits + 1 < bytes.count {
            if hexByte(bytes[digits], bytes[digits + 1]) == expected { return digits + 2 - index }
            guard bytes[digits] == UInt8(ascii: "2"), bytes[digits + 1] == UInt8(ascii: "5") else { return nil }
            digits += 2
        }
        return nil
    }

    /// The length of the backslash escape at `index` when it stands for `expected` (`\/`, `\\`, `\"`, `\u00HH`).
    private static func escapeLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, for expected: UInt8) -> Int? {
        let next = bytes[index + 1]
        if next == expected, [UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\"")].contains(expected) { return 2 }
        guard next == UInt8(ascii: "u"), index + 5 < bytes.count, bytes[index + 2] == UInt8(ascii: "0"), bytes[index + 3] == UInt8(ascii: "0"),
            hexByte(bytes[index + 4], bytes[index + 5]) == expected
        else { return nil }
        return 6
    }

    /// The byte two hex digits (either case) spell; nil when they are not hex digits.
    private static func hexByte(_ high: UInt8, _ low: UInt8) -> UInt8? {
        func digit(_ character: UInt8) -> UInt8? {
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        guard let high = digit(high), let low = digit(low) else { return nil }
        return high * 16 + low
    }

    /// Replaces every form in `bytes[start...]` by `***`.
    private func redactForms(_ bytes: inout [UInt8], from start: Int) {
        for form in forms {
            var searchFrom = start
            while searchFrom < bytes.count {
                let found = bytes.withUnsafeBufferPointer { buffer in
                    Self.firstOffset(of: form, in: UnsafeBufferPointer(rebasing: buffer[searchFrom...]))
                }
                guard let found else { break }
                let at = searchFrom + found
                bytes.replaceSubrange(at..<(at + form.bytes.count), with: "***".utf8)
                searchFrom = at + 3
            }
        }
    }

    /// A form looked for, as UTF-8, with the offset of the byte memchr looks for: its byte that JSON text holds least
    /// often (``commonness``), so that memchr stops at few places. A form of hex digits only, with a digit among
    /// them, is held in lower case and found with its letters in any case (a hex secret, or a secret's hex, echoed
    /// in upper or mixed case is the same secret); its anchor is then a digit.
    private struct Form: Sendable, Hashable {
        let bytes: [UInt8]
        let anchor: Int
        let anyCase: Bool

        init(_ text: String) {
            let utf8 = Array(text.utf8)
            let anyCase = utf8.contains(where: Self.isDigit) && utf8.allSatisfy { Self.isDigit($0) || Self.isHexLetter($0 | 0x20) }
            let bytes = anyCase ? utf8.map { Self.isDigit($0) ? $0 : $0 | 0x20 } : utf8
            let anchorable = anyCase ? bytes.indices.filter { Self.isDigit(bytes[$0]) } : Array(bytes.indices)
            anchor = anchorable.min { SecretRedaction.commonness[Int(bytes[$0])] < SecretRedaction.commonness[Int(bytes[$1])] } ?? 0
            (self.bytes, self.anyCase) = (bytes, anyCase)
        }

        static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        static func isHexLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) }

        /// Whether the form is at `start` in `text` (in any case, for hex).
        func matches(at start: UnsafePointer<UInt8>) -> Bool {
            guard anyCase else { return bytes.withUnsafeBufferPointer { memcmp(start, $0.baseAddress!, $0.count) == 0 } }
            for (offset, byte) in bytes.enumerated() where start[offset] != byte && (Self.isDigit(byte) || start[offset] | 0x20 != byte) {
                return false
            }
            return true
        }
    }

    /// The offset of the first occurrence of `form` in `haystack`: memchr to each place of the form's byte at its
    /// anchor, then a comparison (memmem is a GNU extension the Swift Glibc module does not offer).
    private static func firstOffset(of form: Form, in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !form.bytes.isEmpty else { return 0 }
        guard let start = haystack.baseAddress, haystack.count >= form.bytes.count else { return nil }
        let lastStart = haystack.count - form.bytes.count
        var offset = 0
        while offset <= lastStart {
            guard let found = memchr(start + offset + form.anchor, Int32(form.bytes[form.anchor]), lastStart - offset + 1) else { return nil }
            let candidate = UnsafeRawPointer(start).distance(to: UnsafeRawPointer(found)) - form.anchor
            if form.matches(at: start + candidate) { return candidate }
            offset = candidate + 1
        }
        return nil
    }

    /// The bytes JSON answers hold most often, most common first.
    static let commonBytes = #""0laen:tos,_iurdcpm1b2yv/f5g{}h43wk7[]x8.69"#

    /// How common each byte is in JSON answers: 0 for a byte not in ``commonBytes``, else higher the more common.
    static let commonness: [Int] = {
        var ranks = [Int](repeating: 0, count: 256)
        for (rank, byte) in commonBytes.utf8.enumerated() { ranks[Int(byte)] = commonBytes.utf8.count - rank }
        return ranks
    }()
}

extension SecretRedaction {
    /// The redactions of the connections this process opened: ``cut(_:to:)`` applies them to text it is about to
    /// cut, wherever the text comes from.
    private static let registered = Mutex<[SecretRedaction]>([])

    /// Adds `redaction` to those ``cut(_:to:)`` applies. They are applied longest form first, so that a short
    /// secret found inside a longer one's form cannot break that form before it is found.
    public static func register(_ redaction: SecretRedaction) {
        registered.withLock { redactions in
            guard !redactions.contains(redaction) else { return }
            redactions.append(redaction)
            redactions.sort { ($0.forms.first?.bytes.count ?? 0) > ($1.forms.first?.bytes.count ?? 0) }
        }
    }

    /// `text` with every registered secret redacted, then cut to at most `count` characters: the one way text
    /// that may hold a secret is shortened for a message.
    public static func cut(_ text: some StringProtocol, to count: Int) -> String {
        String(redactingRegistered(text).prefix(count))
    }

    /// `text` with every registered secret redacted: for text about to be cut anywhere, since a secret cut in two
    /// is no longer found.
    public static func redactingRegistered(_ text: some StringProtocol) -> String {
        var text = String(text)
        for redaction in registered.withLock({ $0 }) { text = redaction.redacted(text) }
        return text
    }
}
