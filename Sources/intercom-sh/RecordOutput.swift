import Foundation
import IntercomKit
import IntercomShell
import Synchronization

/// Standard output for a run's records. On a terminal each record is written as soon as it is known; into a pipe
/// or a file, records are gathered and written when the run is about to wait (for input or for the API), when
/// 64 KiB are waiting, and at the end, so a million-line dry run makes a few thousand writes instead of a million,
/// while a program that feeds intercom-sh a line at a time still gets each answer before it sends the next line.
final class RecordOutput: Sendable {
    private struct State {
        var pending: [UInt8] = []
        var failure: OutputClosed?
    }

    private let state = Mutex(State())
    private let writer: OutputWriter
    private let buffered: Bool
    /// The pager the records go through instead, when there is one (`-c` on a terminal).
    let paged: PagedOutput?
    /// Which file the output is, when it is a regular file: read once, for a descriptor stays on its file.
    let fileIdentity: FileIdentity?

    /// The size at which gathered records are written without waiting for a pause.
    static let flushThreshold = 1 << 16

    /// Output to `writer`, gathering records unless `buffered` is false; through `paged` when given.
    init(writer: OutputWriter, buffered: Bool, paged: PagedOutput? = nil) {
        self.writer = writer
        self.buffered = buffered
        self.paged = paged
        fileIdentity = FileIdentity(descriptor: writer.descriptor)
    }

    /// Appends what `produce` writes (the rendered record) and writes it out at once when unbuffered or when enough
    /// has gathered. Throws ``OutputClosed`` once the reader has gone, so that the run stops.
    func write(_ produce: (inout [UInt8]) -> Void) throws(OutputClosed) {
        try state.withLock { state throws(OutputClosed) in
            if let failure = state.failure { throw failure }
            produce(&state.pending)
            if !buffered || state.pending.count >= Self.flushThreshold { try drain(&state, to: writer) }
        }
    }

    /// Writes out everything gathered. A failed write is remembered, and the next ``write(_:)`` throws.
    func flush() {
        state.withLock { state in try? drain(&state, to: writer) }
    }

    /// Writes out everything gathered, throwing when a write failed (now or before).
    func flushed() throws(OutputClosed) {
        try state.withLock { state throws(OutputClosed) in
            if let failure = state.failure { throw failure }
            try drain(&state, to: writer)
        }
    }

    /// The output's length once everything gathered is written, when it is a regular file: its size when it is
    /// open for appending (`>>`), else the offset written to. Nil for a pipe or a terminal.
    var fileLength: Int? { RegularFileOutput.length(of: writer.descriptor) }

    /// The output file's size, when it is a regular file.
    var fileSize: Int? { RegularFileOutput.size(of: writer.descriptor) }


    /// Cuts the output file back to `length` bytes and writes on from there.
    /// - Throws: when the output is no regular file, is shorter than `length` (emptied since, by `>`), or has no
    ///   newline just before `length` (not the file the journal measured).
    func cut(to length: Int) throws(OutputPosition.RestoreError) {
        flush()
        guard let size = RegularFileOutput.size(of: writer.descriptor) else {
            throw OutputPosition.RestoreError("the output is not a file: resume with >> into the file the earlier run wrote")
        }
        guard size >= length else {
            throw OutputPosition.RestoreError(
                "the output holds \(size) bytes, fewer than the \(length) the journal says were written: resume with >> (append) into the same file (> empties it), or start a new journal")
        }
        // Records end with a newline: a file whose byte before the cut is anything else is not the one the journal
        // measured (a file made since, on the inode of one deleted), and cutting it would tear a line.
        guard length == 0 || RegularFileOutput.byte(at: length - 1, of: writer.descriptor).map({ $0 == 0x0A }) ?? true else {
            throw OutputPosition.RestoreError(
                "the output does not end a record where the journal says the earlier run's output ended: it is not the file that run wrote; resume with >> into that file, or start a new journal")
        }
        if let failure = RegularFileOutput.cut(writer.descriptor, to: length) {
            throw OutputPosition.RestoreError("cannot cut the output back to \(length) bytes: \(failure)")
        }
    }

    /// The write that failed, if one did: records after it were lost.
    var failure: OutputClosed? { state.withLock { $0.failure } }

    private func drain(_ state: inout State, to writer: OutputWriter) throws(OutputClosed) {
        guard !state.pending.isEmpty, state.failure == nil else { return }
        if let paged {
            // A pager that quit is a reader that went away.
            defer { state.pending.removeAll(keepingCapacity: true) }
            paged.write(String(decoding: state.pending, as: UTF8.self))
            if paged.closed {
                state.failure = OutputClosed(code: EPIPE)
                throw OutputClosed(code: EPIPE)
            }
            return
        }
        defer { state.pending.removeAll(keepingCapacity: state.pending.capacity <= 4 * Self.flushThreshold) }
        let result = state.pending.withUnsafeBufferPointer { bytes in Result { () throws(OutputClosed) in try writer.write(bytes: bytes) } }
        if case .failure(let failure) = result { state.failure = failure }
        try result.get()
    }
}
