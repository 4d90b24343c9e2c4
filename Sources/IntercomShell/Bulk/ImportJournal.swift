import Foundation
public import IntercomKit
import Synchronization

/// A durable record of each input line's outcome (`--journal FILE`), from which an interrupted import resumes
/// (`--resume`) without sending anything twice.
///
/// The file is NDJSON, created 0600: a header naming the endpoint and app it was made against (a resume elsewhere is
/// refused), then one entry per event, written with one `write(2)` each as it happens, so a `kill -9` at any moment
/// loses at most the operations in flight; a torn last entry is cut off before a resume appends. A non-idempotent operation gets a
/// `started` entry just before its request first goes out; every line gets a final entry when its outcome is known
/// (`ok`, with the result of a named `as` line so references still resolve; or `failed`). Entries name the line by
/// number (and source file) and a hash of its text, so a resume over different input is refused.
public final class ImportJournal: Sendable {
    /// How an existing journal is used.
    public enum Mode: Sendable, Hashable {
        /// Start a new journal; an existing non-empty one is refused rather than overwritten.
        case fresh
        /// Skip the lines the journal has an outcome for.
        case resume
        /// Like ``resume``, but run failed lines again when that is safe (never an `unknown_outcome`).
        case resumeFailed
    }

    /// Where a line is: its number, and the sourced file it is in (nil for the main input).
    public struct LineKey: Sendable, Hashable {
        /// The line number, from 1.
        public var line: Int
        /// The file run with `source`, or nil.
        public var source: String?

        /// Creates a key.
        public init(line: Int, source: String? = nil) {
            self.line = line
            self.source = source
        }
    }

    /// What to do with a line, given the journal.
    public enum Decision: Sendable, Hashable {
        /// Run it.
        case run
        /// It is done: skip it (its result, when it was a named line).
        case skip(result: JSONValue?)
        /// A non-idempotent operation that had started and never finished: report `unknown_outcome`, do not send.
        case unknownOutcome
        /// An event that had started and never finished: send it again with the `created` it was sent with, which
        /// the server takes as the same event (a new `created` could record it twice).
        case resend(created: Int64)
        /// The journal's line has other text: the input is not the one the journal was made with.
        case mismatch
    }

    /// What the journal says of a line.
    enum Status: Sendable, Hashable {
        /// Its first request was about to go out (with this `created`, for an event).
        case started(created: Int64?)
        case succeeded(result: JSONValue?)
        case failed(rerunnable: Bool)
    }

    /// Why a journal cannot be used.
    public struct OpenError: Error, CustomStringConvertible, Sendable {
        /// What went wrong, naming the file.
        public let description: String
    }

    /// Where a journal's operations went: a resume must send to the same place.
    public struct Binding: Sendable, Hashable {
        /// The API root (`sandbox` for the embedded sandbox, whose port changes every run).
        public var endpoint: String
        /// The app id.
        public var appID: String

        /// Creates a binding.
        public init(endpoint: String, appID: String) {
            self.endpoint = endpoint
            self.appID = appID
        }
    }

    /// The journal format this build writes; it reads version 1 (no binding) and 2.
    static let version: Int64 = 2

    /// The first line of a journal bound to `binding` (version 1's bare header without one).
    static func header(_ binding: Binding?) -> String {
        guard let binding else { return "{\"intercom_sh_journal\":1}" }
        let fields: JSONValue = [
            "intercom_sh_journal": .integer(version), "endpoint": .string(binding.endpoint), "app_id": .string(binding.appID),
        ]
        return fields.encodedString()
    }

    /// The bare header, for tests.
    static var header: String { header(nil) }

    private let path: String
    private let descriptor: Int32
    private let writeLock = Mutex<String?>(nil)
    private let ledger: [LineKey: (hash: String, status: Status)]
    private let mode: Mode

    /// Opens the journal at `path` for `mode`: reads what an earlier run recorded (when resuming) and appends
    /// from there; creates the file 0600 when it does not exist. A resume needs an existing journal (a mistyped
    /// path must not start over), made against `binding` when both name one; a torn last entry is cut off first.
    public init(path: String, mode: Mode, binding: Binding? = nil) throws(OpenError) {
        self.path = path
        self.mode = mode
        if let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType, type != .typeRegular {
            throw OpenError(description: "the journal \(path) is not a regular file")
        }
        var existing = FileManager.default.contents(atPath: path) ?? Data()
        if mode == .fresh, !existing.isEmpty {
            throw OpenError(description: "the journal \(path) already exists: add --resume to go on with it, or remove it")
        }
        if mode != .fresh, existing.isEmpty {
            throw OpenError(description: "there is no journal at \(path) to resume: check the path, or leave out --resume to start one")
        }
        try Self.checkHeader(of: existing, path: path, binding: binding)
        ledger = try Self.read(existing, path: path)
        let complete = existing.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        if complete < existing.count {
            guard truncate(path, off_t(complete)) == 0 else {
                throw OpenError(description: "cannot cut the torn last entry of \(path): \(String(cString: strerror(errno)))")
            }
            existing = existing.prefix(complete)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw OpenError(description: "cannot open the journal \(path): \(String(cString: strerror(errno)))") }
        fchmod(descriptor, 0o600)
        self.descriptor = descriptor
        if existing.isEmpty { append(Self.header(binding)) }
    }

    /// Refuses a journal of a version this build does not read, or one made against another endpoint or app.
    static func checkHeader(of data: Data, path: String, binding: Binding?) throws(OpenError) {
        guard let end = data.firstIndex(of: UInt8(ascii: "\n")),
            let header = try? JSONValue(parsing: String(decoding: data[..<end], as: UTF8.self)),
            let version = header["intercom_sh_journal"]?.integerValue
        else { return }
        guard (1...Self.version).contains(version) else {
            throw OpenError(description: "\(path) is an intercom-sh journal of version \(version), which this intercom-sh does not read")
        }
        guard let binding, let endpoint = header["endpoint"]?.stringValue, let appID = header["app_id"]?.stringValue else { return }
        guard endpoint == binding.endpoint && appID == binding.appID else {
            throw OpenError(
                description: "the journal \(path) was made against \(endpoint) (app \(appID)), not \(binding.endpoint) (app \(binding.appID)): "
                    + "resume against the same workspace, or start a new journal")
        }
    }

    deinit {
        fdatasync(descriptor)
        close(descriptor)
    }

    /// What to do with `operation`, read from line `key` whose text is `text`.
    public func decide(_ key: LineKey, text: String, operation: OperationName?) -> Decision {
        guard let entry = ledger[key] else { return .run }
        guard entry.hash == Self.hash(text) else { return .mismatch }
        switch entry.status {
        case .succeeded(let result): return .skip(result: result)
        case .failed(let rerunnable): return mode == .resumeFailed && rerunnable ? .run : .skip(result: nil)
        case .started(let created?):
            return .resend(created: created)
        case .started(nil):
            return operation.map(RetryPolicy.isSafeToRepeat) ?? true ? .run : .unknownOutcome
        }
    }

    /// Records that a non-idempotent operation, or an event (with the `created` it is sent with), is about to send
    /// its first request.
    /// Returns whether the entry was written: when it was not, the request must not go out.
    @discardableResult
    public func started(_ key: LineKey, text: String, created: Int64? = nil) -> Bool {
        append(Self.entry(key, text: text, state: "started", extra: created.map { ",\"created\":\($0)" } ?? ""))
    }

    /// Whether `operation` gets a `started` entry: one that must not run twice, and an event, whose `created` a
    /// resume must send again.
    public static func recordsStart(of operation: OperationName) -> Bool {
        !RetryPolicy.isSafeToRepeat(operation) || operation == .createEvent
    }

    /// Records a line's outcome from its records. A line interrupted before anything was sent, refused for its
    /// credentials (401: nothing was applied, and the run stops there), or abandoned when it was safe to repeat, is
    /// reset (any `started` entry forgotten), so that a resume runs it; an event keeps its
    /// `started` entry instead, so that a resume sends it with the same `created`. `result` is kept for named (`as`)
    /// lines.
    public func finished(_ key: LineKey, text: String, operation: Operation?, records: [ResultRecord]) {
        if let failure = records.first(where: { !$0.ok })?.failure {
            if leavesForResume(operation: operation, records: records) {
                if operation?.name != .createEvent { append(Self.entry(key, text: text, state: "reset")) }
                return
            }
            let rerunnable = failure.type != ResultRecord.Failure.unknownOutcomeType
            append(Self.entry(key, text: text, state: "failed", extra: ",\"rerun\":\(rerunnable)"))
            return
        }
        var extra = ""
        if operation?.alias != nil, let last = records.last, case .success(let result) = last.outcome {
            extra = ",\"result\":" + result.encodedString()
        }
        append(Self.entry(key, text: text, state: "ok", extra: extra))
    }

    /// Whether a line with these records is one a resume runs again (interrupted before anything was sent, refused
    /// for its credentials, or abandoned when safe to repeat), rather than one the journal counts as done.
    public func leavesForResume(operation: Operation?, records: [ResultRecord]) -> Bool {
        guard let failure = records.first(where: { !$0.ok })?.failure else { return false }
        let safeToRepeat = operation.map { RetryPolicy.isSafeToRepeat($0.name) } ?? true
        return failure.type == ResultRecord.Failure.interruptedType || failure.type == IntercomError.Kind.authentication.rawValue
            || (failure.type == ResultRecord.Failure.unknownOutcomeType && safeToRepeat)
    }

    /// Why a write to the journal failed (the first failure), if one did: entries after it are missing, so the
    /// run must stop and say so.
    public var writeFailure: String? { writeLock.withLock { $0 } }

    /// Flushes the journal to disk.
    public func synchronize() {
        fdatasync(descriptor)
    }

    /// Appends `line` with one `write(2)` (or more, if interrupted); returns false, and remembers why, when the
    /// file cannot take it. After a failure nothing more is written, so no entry follows a torn one.
    @discardableResult
    private func append(_ line: String) -> Bool {
        let bytes = Array((line + "\n").utf8)
        return writeLock.withLock { failure in
            guard failure == nil else { return false }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    failure = "cannot write the journal \(path): " + String(cString: strerror(written < 0 ? errno : EIO))
                    return false
                }
                offset += written
            }
            return true
        }
    }

    private static func entry(_ key: LineKey, text: String, state: String, extra: String = "") -> String {
        var line = "{\"line\":\(key.line)"
        if let source = key.source { line += ",\"source\":" + JSONValue.string(source).encodedString() }
        return line + ",\"hash\":\"\(hash(text))\",\"state\":\"\(state)\"" + extra + "}"
    }

    /// The ledger of an existing journal; a torn last line (the process died mid-write) is ignored.
    static func read(_ data: Data, path: String) throws(OpenError) -> [LineKey: (hash: String, status: Status)] {
        var ledger: [LineKey: (hash: String, status: Status)] = [:]
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        for (index, bytes) in lines.enumerated() {
            guard let entry = try? JSONValue(parsing: String(decoding: bytes, as: UTF8.self)), case .object(let object) = entry else {
                if index == lines.count - 1 && data.last != UInt8(ascii: "\n") { break }
                throw OpenError(description: "\(path):\(index + 1): not an intercom-sh journal entry")
            }
            if index == 0 {
                guard object["intercom_sh_journal"] != nil else { throw OpenError(description: "\(path) is not an intercom-sh journal") }
                continue
            }
            guard let line = object["line"]?.integerValue.map({ Int($0) }), let hash = object["hash"]?.stringValue, let state = object["state"]?.stringValue else {
                throw OpenError(description: "\(path):\(index + 1): not an intercom-sh journal entry")
            }
            let key = LineKey(line: line, source: object["source"]?.stringValue)
            switch state {
            case "started": ledger[key] = (hash, .started(created: object["created"]?.integerValue))
            case "ok": ledger[key] = (hash, .succeeded(result: object["result"]))
            case "reset": ledger[key] = nil
            case "failed": ledger[key] = (hash, .failed(rerunnable: object["rerun"]?.boolValue ?? false))
            default: throw OpenError(description: "\(path):\(index + 1): unknown state '\(state)'")
            }
        }
        return ledger
    }

    /// A line's fingerprint: 64-bit FNV-1a of its UTF-8 text, in hex.
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
