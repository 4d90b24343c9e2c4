import Foundation
public import IntercomKit
import Synchronization

/// A durable record of each input line's outcome (`--journal FILE`), from which an interrupted import resumes
/// (`--resume`) without sending anything twice.
///
/// The file is NDJSON, created 0600: a header naming the endpoint and app it was made against (a resume elsewhere is
/// refused), then one entry per event, written with one `write(2)` each as it happens, so a `kill -9` at any moment
/// loses at most the operations in flight; a torn last entry is cut off before a resume appends. Entries name the
/// line by number (and source file) and a hash of its text, so a resume over different input is refused.
///
/// The journal, not the output, is the record of what ran. A non-idempotent operation or an event gets a `started`
/// entry just before its first request goes out. Every line gets a final entry (`ok` or `failed`) holding its
/// records, written *before* the records are written out, and a `written` entry after: a resume writes the records
/// of a final entry with no `written` after it (the run died in between) instead of running the line again. Lists,
/// whose records are many and safe to read again, are journaled after their records, with their last result, and
/// leave a `page` entry after each page once its records are out: where the walk stands (``WalkCheckpoint``) and
/// where the output does (``OutputPosition``), so that a resume cuts the output back there and goes on from the
/// next page.
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
        /// It is done: skip it, writing out any records the earlier run journaled but did not write.
        case skip(Finished)
        /// A non-idempotent operation that had started and never finished: report `unknown_outcome`, do not send.
        case unknownOutcome
        /// An event that had started and never finished: send it again with the `created` it was sent with, which
        /// the server takes as the same event (a new `created` could record it twice).
        case resend(created: Int64)
        /// The journal's line has other text: the input is not the one the journal was made with.
        case mismatch
    }

    /// A line an earlier run finished.
    public struct Finished: Sendable, Hashable {
        /// Where its final entry is in the file, when it left a result (not null) that a later line may refer to.
        let resultEntry: Range<Int>?
        /// Whether it succeeded (a failed line leaves no result, not even for its `as` name).
        public var succeeded: Bool
        /// Its records, when the earlier run journaled them and died before writing them out.
        public var unwrittenRecords: [ResultRecord] = []
    }

    /// Where a list an earlier run did not finish stands: its last checkpoint and the output's position then.
    public struct WalkProgress: Sendable, Equatable {
        /// The walk's checkpoint, its ``WalkCheckpoint/given`` gathered from every page.
        public var checkpoint: WalkCheckpoint
        /// Where the output stood.
        public var output: OutputPosition
        /// Where the output stood after the list's last record, when the list ended (failed) and said so.
        public var end: Int?
        var hash = ""
    }

    /// What the journal says of a line.
    enum Status: Sendable, Hashable {
        /// Its first request was about to go out (with this `created`, for an event).
        case started(created: Int64?)
        /// It succeeded; its entry is at `resultEntry` when its result is not null.
        case succeeded(resultEntry: Range<Int>?)
        case failed(rerunnable: Bool)
    }

    /// A line's latest entry: the hash of its text and its status.
    struct LedgerEntry: Sendable {
        var hash: String
        var status: Status
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
        /// For an access token (REST API 2.x), which names no app: its ``Credentials/fingerprint``, which stands for
        /// the workspace the token belongs to.
        public var credential: String?

        /// Creates a binding.
        public init(endpoint: String, appID: String, credential: String? = nil) {
            self.endpoint = endpoint
            self.appID = appID
            self.credential = credential
        }
    }

    /// The journal format this build writes; it reads version 1 (no binding), 2 (no records), 3 (no credential),
    /// 4 (no pages) and 5.
    static let version: Int64 = 5

    /// The first line of a journal bound to `binding` (version 1's bare header without one).
    static func header(_ binding: Binding?) -> String {
        guard let binding else { return "{\"intercom_sh_journal\":1}" }
        var fields: JSONObject = [
            "intercom_sh_journal": .integer(version), "endpoint": .string(binding.endpoint), "app_id": .string(binding.appID),
        ]
        if let credential = binding.credential { fields["credential"] = .string(credential) }
        return JSONValue.object(fields).encodedString()
    }

    /// The bare header, for tests.
    static var header: String { header(nil) }

    private let path: String
    private let descriptor: Int32
    /// What no entry may hold: the connection's secret in every form (a result can echo data that quotes it).
    private let redaction: SecretRedaction
    private let writeLock = Mutex<String?>(nil)
    private let ledger: [LineKey: LedgerEntry]
    private let unwritten: [LineKey: [ResultRecord]]
    private let walks: [LineKey: WalkProgress]
    private let mode: Mode
    /// Whether this run goes on from an earlier one (`--resume`, `--resume-failed`).
    public var resumes: Bool { mode != .fresh }
    /// Where the output stood when an earlier run last journaled it (after a line's records, or a list's page):
    /// what a resume cuts the same output file back to. Nil when no entry gave one.
    public let journaledOutput: OutputPosition?

    /// Opens the journal at `path` for `mode`: reads what an earlier run recorded (when resuming) and appends
    /// from there; creates the file 0600 when it does not exist. A resume needs an existing journal (a mistyped
    /// path must not start over), made against `binding` when both name one; a torn last entry is cut off first.
    /// Every entry written has the secret forms of `redaction` replaced by `***`.
    public init(path: String, mode: Mode, binding: Binding? = nil, redaction: SecretRedaction = .none) throws(OpenError) {
        self.path = path
        self.mode = mode
        self.redaction = redaction
        if let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType, type != .typeRegular {
            throw OpenError(description: "the journal \(path) is not a regular file")
        }
        let descriptor: Int32
        switch PrivateFileDescriptor.open(path, flags: O_RDWR | O_APPEND | (mode == .fresh ? O_CREAT : 0)) {
        case .success(let opened): descriptor = opened
        case .failure(let code) where code.code == ENOENT && mode != .fresh: throw OpenError(description: Self.nothingToResume(path))
        case .failure(let code): throw OpenError(description: "cannot open the journal \(path): \(code)")
        }
        var contents = Contents()
        do throws(OpenError) {
            if mode == .fresh, lseek(descriptor, 0, SEEK_END) > 0 {
                throw OpenError(description: "the journal \(path) already exists: add --resume to go on with it, or remove it")
            }
            if mode != .fresh { contents = try Self.read(descriptor, path: path, binding: binding) }
            if mode != .fresh, contents.size == 0 { throw OpenError(description: Self.nothingToResume(path)) }
            if contents.complete < contents.size, ftruncate(descriptor, off_t(contents.complete)) != 0 {
                throw OpenError(description: "cannot cut the torn last entry of \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        ledger = contents.ledger
        unwritten = contents.unwritten
        walks = contents.walks
        journaledOutput = contents.output
        if contents.complete == 0 { append(Self.header(binding)) }
    }

    private static func nothingToResume(_ path: String) -> String {
        "there is no journal at \(path) to resume: check the path, or leave out --resume to start one"
    }

    /// Refuses a journal of a version this build does not read, or one made against another endpoint or app.
    static func checkHeader(_ header: JSONValue, path: String, binding: Binding?) throws(OpenError) {
        guard let version = header["intercom_sh_journal"]?.integerValue else {
            throw OpenError(description: "\(path) is not an intercom-sh journal")
        }
        guard (1...Self.version).contains(version) else {
            throw OpenError(description: "\(path) is an intercom-sh journal of version \(version), which this intercom-sh does not read")
        }
        guard let binding, let endpoint = header["endpoint"]?.stringValue, let appID = header["app_id"]?.stringValue else { return }
        guard endpoint == binding.endpoint && appID == binding.appID else {
            throw OpenError(
                description: "the journal \(path) was made against \(endpoint) (app \(appID)), not \(binding.endpoint) (app \(binding.appID)): "
                    + "resume against the same workspace, or start a new journal")
        }
        guard header["credential"]?.stringValue == binding.credential else {
            throw OpenError(
                description: "the journal \(path) was made with another access token (another workspace, or a token made since): "
                    + "resume with the token it was made with, or start a new journal")
        }
    }

    deinit {
        fdatasync(descriptor)
        close(descriptor)
    }

    /// What to do with line `key` whose text is `text` and whose operation has `effect` (nil: not an operation).
    public func decide(_ key: LineKey, text: String, effect: OperationEffect?) -> Decision {
        guard let entry = ledger[key] else {
            // A list left part-way holds only its pages: their text must be this line's too.
            if let walk = walks[key], walk.hash != Self.hash(text) { return .mismatch }
            return .run
        }
        guard entry.hash == Self.hash(text) else { return .mismatch }
        let unwritten = self.unwritten[key] ?? []
        switch entry.status {
        case .succeeded(let resultEntry): return .skip(Finished(resultEntry: resultEntry, succeeded: true, unwrittenRecords: unwritten))
        case .failed(let rerunnable):
            return mode == .resumeFailed && rerunnable ? .run : .skip(Finished(resultEntry: nil, succeeded: false, unwrittenRecords: unwritten))
        case .started(let created?):
            return .resend(created: created)
        case .started(nil):
            return effect?.isSafeToRepeat ?? true ? .run : .unknownOutcome
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
    public static func recordsStart(of operation: Operation) -> Bool {
        !operation.effect.isSafeToRepeat || operation.name == .createEvent
    }

    /// Records a line's outcome: before its records are written out (then ``written(_:text:)`` after them), or, for
    /// a user list (``journalsAfterRecords(_:)``), after. A line interrupted before anything was sent, refused for its
    /// credentials (401: nothing was applied, and the run stops there), or abandoned when it was safe to repeat, is
    /// reset (any `started` entry forgotten), so that a resume runs it; an event keeps its `started` entry instead,
    /// so that a resume sends it with the same `created`. Returns whether the entry was written.
    ///
    /// `written`, the output's position after the records, says they are out already (a user list's): the entry then
    /// keeps no records to write again, and stands as the line's ``written(_:text:output:)`` entry too.
    @discardableResult
    public func finished(_ key: LineKey, text: String, operation: Operation?, records: [ResultRecord], written: OutputPosition? = nil) -> Bool {
        let kept = written.map(Self.outputField) ?? Self.recordsField(records)
        if let failure = records.first(where: { !$0.ok })?.failure {
            if leavesForResume(operation: operation, records: records) {
                return operation?.name == .createEvent || append(Self.entry(key, text: text, state: "reset"))
            }
            let rerunnable = !failure.type.mayHaveApplied
            return append(Self.entry(key, text: text, state: "failed", extra: ",\"rerun\":\(rerunnable)" + kept))
        }
        if let operation, Self.journalsAfterRecords(operation) {
            let last = records.last(where: \.ok).flatMap { record -> JSONValue? in
                if case .success(let result) = record.outcome { return result }
                return nil
            }
            return append(Self.entry(key, text: text, state: "ok", extra: (last.map { ",\"result\":" + $0.encodedString() } ?? "") + kept))
        }
        return append(Self.entry(key, text: text, state: "ok", extra: kept))
    }

    /// Records that the records of a line journaled with ``finished(_:text:operation:records:)`` are written out,
    /// and where the output stands after them when it is a file (``journaledOutput``).
    @discardableResult
    public func written(_ key: LineKey, text: String, output: OutputPosition? = nil) -> Bool {
        append(Self.entry(key, text: text, state: "written", extra: output.map(Self.outputField) ?? ""))
    }

    /// Records that a list has written out every record of a page: where its walk and the output stand.
    @discardableResult
    public func page(_ key: LineKey, text: String, checkpoint: WalkCheckpoint, output: OutputPosition) -> Bool {
        var extra = ",\"walk\":" + checkpoint.state.encodedString() + ",\"written\":\(checkpoint.written)"
        if !checkpoint.given.isEmpty { extra += ",\"given\":" + JSONValue.array(checkpoint.given.map(JSONValue.string)).encodedString() }
        return append(Self.entry(key, text: text, state: "page", extra: extra + ",\"output\":" + output.json.encodedString()))
    }

    /// Where the list on line `key` (whose text is `text`) stood when an earlier run left it; nil when no page of
    /// it was journaled.
    public func walkProgress(_ key: LineKey, text: String) -> WalkProgress? {
        guard let progress = walks[key], progress.hash == Self.hash(text) else { return nil }
        return progress
    }

    /// Whether records of later lines follow the list on line `key` in the output: its end, as the journal has it,
    /// is before where the output stood at the journal's last entry. Cutting the output back to the list's last page
    /// would lose them.
    public func laterRecordsFollow(_ progress: WalkProgress) -> Bool {
        guard let end = progress.end, let last = journaledOutput?.offset else { return false }
        return last > end
    }

    /// Whether a line's outcome is journaled after its records rather than before: a list, whose records are
    /// many, come as pages arrive, and are safe to read again.
    public static func journalsAfterRecords(_ operation: Operation) -> Bool {
        operation.yieldsItems
    }

    /// What a finished line left for references: its last successful result (null when it had none), read from
    /// the file when asked, so that a resume holds no results in memory.
    public func rememberedResult(of finished: Finished) -> JSONValue {
        guard let range = finished.resultEntry else { return .null }
        var bytes = [UInt8](repeating: 0, count: range.count)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(range.lowerBound)) }
        guard count == bytes.count, let entry = try? JSONParser.parse(bytes) else { return .null }
        return Self.result(of: entry)
    }

    /// The result an entry remembers: its `result`, or the last successful record's.
    private static func result(of entry: JSONValue) -> JSONValue {
        if let result = entry["result"] { return result }
        return result(of: (entry["records"]?.arrayValue ?? []).compactMap(ResultRecord.init(json:)))
    }

    /// The result of the last successful record (null when none succeeded).
    private static func result(of records: [ResultRecord]) -> JSONValue {
        if let last = records.last(where: \.ok), case .success(let result) = last.outcome { return result }
        return .null
    }

    /// `,"output":{…}` for a position in a file (one with an offset); nothing for any other.
    private static func outputField(_ position: OutputPosition) -> String {
        position.offset == nil ? "" : ",\"output\":" + position.json.encodedString()
    }

    private static func recordsField(_ records: [ResultRecord]) -> String {
        var bytes = Array(",\"records\":[".utf8)
        for (index, record) in records.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            record.writeNDJSON(to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a line with these records is one a resume runs again (interrupted before anything was sent, refused
    /// for its credentials, or abandoned when safe to repeat), rather than one the journal counts as done.
    public func leavesForResume(operation: Operation?, records: [ResultRecord]) -> Bool {
        guard let failure = records.first(where: { !$0.ok })?.failure else { return false }
        let safeToRepeat = operation?.effect.isSafeToRepeat ?? true
        return failure.type == .interrupted || failure.type == .api(.authentication) || (failure.type == .unknownOutcome && safeToRepeat)
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
        let bytes = Array((redaction.redacted(line) + "\n").utf8)
        return writeLock.withLock { failure in
            guard failure == nil else { return false }
            if let code = bytes.withUnsafeBytes({ PrivateFileDescriptor.writeAll(descriptor, $0) }) {
                failure = "cannot write the journal \(path): \(code)"
                return false
            }
            return true
        }
    }

    private static func entry(_ key: LineKey, text: String, state: String, extra: String = "") -> String {
        var line = "{\"line\":\(key.line)"
        if let source = key.source { line += ",\"source\":" + JSONValue.string(source).encodedString() }
        return line + ",\"hash\":\"\(hash(text))\",\"state\":\"\(state)\"" + extra + "}"
    }

    /// What an existing journal holds.
    struct Contents {
        var ledger: [LineKey: LedgerEntry] = [:]
        /// Records journaled with no `written` entry after them.
        var unwritten: [LineKey: [ResultRecord]] = [:]
        /// The lists' last checkpoints.
        var walks: [LineKey: WalkProgress] = [:]
        /// The output position the last entry that gave one with a length gave.
        var output: OutputPosition?
        /// The file's size, and the size up to the end of its last complete line.
        var size = 0
        var complete = 0
    }

    /// Reads the journal open on `descriptor` a block at a time: its header (checked against `binding`) and its
    /// entries. A torn last line (the process died mid-write) is left out of ``Contents/complete``.
    static func read(_ descriptor: Int32, path: String, binding: Binding?) throws(OpenError) -> Contents {
        var contents = Contents()
        var pending: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var number = 0
        while true {
            let count = block.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(contents.size)) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw OpenError(description: "cannot read the journal \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            contents.size += count
            pending.append(contentsOf: block[0..<count])
            var start = pending.startIndex
            while let end = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                number += 1
                let offset = contents.complete
                contents.complete += end - start + 1
                try readEntry(pending[start..<end], number: number, at: offset, path: path, binding: binding, into: &contents)
                start = end + 1
            }
            pending.removeSubrange(..<start)
        }
        return contents
    }

    /// Adds one line of the journal (line `number`, at byte `offset`) to `contents`.
    private static func readEntry(
        _ bytes: ArraySlice<UInt8>, number: Int, at offset: Int, path: String, binding: Binding?, into contents: inout Contents
    ) throws(OpenError) {
        guard !bytes.isEmpty else { return }
        guard let entry = try? JSONParser.parse(bytes), case .object(let object) = entry else {
            throw OpenError(description: number == 1 ? "\(path) is not an intercom-sh journal" : "\(path):\(number): not an intercom-sh journal entry")
        }
        if number == 1 { return try checkHeader(entry, path: path, binding: binding) }
        guard let line = object["line"]?.integerValue.map({ Int($0) }), let hash = object["hash"]?.stringValue,
            let state = object["state"]?.stringValue
        else { throw OpenError(description: "\(path):\(number): not an intercom-sh journal entry") }
        let key = LineKey(line: line, source: object["source"]?.stringValue)
        let range = offset..<(offset + bytes.count)
        if state == "page" { return try readPage(object, key: key, hash: hash, number: number, path: path, into: &contents) }
        let records = object["records"]?.arrayValue?.compactMap(ResultRecord.init(json:))
        contents.unwritten[key] = records
        switch state {
        case "started": contents.ledger[key] = LedgerEntry(hash: hash, status: .started(created: object["created"]?.integerValue))
        case "ok":
            let remembersResult = !(object["result"].map { $0.isNull } ?? records.map { Self.result(of: $0).isNull } ?? true)
            contents.ledger[key] = LedgerEntry(hash: hash, status: .succeeded(resultEntry: remembersResult ? range : nil))
        case "failed": contents.ledger[key] = LedgerEntry(hash: hash, status: .failed(rerunnable: object["rerun"]?.boolValue ?? false))
        case "reset": contents.ledger[key] = nil
        case "written": contents.unwritten[key] = nil
        default: throw OpenError(description: "\(path):\(number): unknown state '\(state)'")
        }
        if let output = object["output"], let offset = OutputPosition(json: output).offset {
            contents.output = OutputPosition(json: output)
            contents.walks[key]?.end = offset
        }
    }

    /// Adds a `page` entry to the walk progress of its line; the keys it gives join those of the pages before.
    private static func readPage(
        _ object: JSONObject, key: LineKey, hash: String, number: Int, path: String, into contents: inout Contents
    ) throws(OpenError) {
        guard let state = object["walk"], let written = object["written"]?.integerValue, let output = object["output"] else {
            throw OpenError(description: "\(path):\(number): not an intercom-sh journal entry")
        }
        var given = contents.walks[key].map { $0.hash == hash ? $0.checkpoint.given : [] } ?? []
        given += object["given"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let position = OutputPosition(json: output)
        contents.walks[key] = WalkProgress(
            checkpoint: WalkCheckpoint(state: state, given: given, written: Int(max(0, written))), output: position, hash: hash)
        if position.offset != nil { contents.output = position }
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
