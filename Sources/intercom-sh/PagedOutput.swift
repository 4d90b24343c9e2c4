import Foundation
import IntercomKit
import LineEditing
import Synchronization

/// A command's output at the prompt, through a pager when it is taller than the screen, as psql does.
///
/// Text is written as it comes. Up to a screenful is held back; once the text has more lines than the screen, the
/// pager (`less -FRX`, `$PAGER`, `set pager CMD`) is started with it and fed the rest as it comes, so a long list is
/// never held whole. Text that fits is written straight to standard output when the command ends. A pager that
/// quits early (`q`) closes the output: ``closed`` tells the prompt to stop the command. Keys typed ahead are
/// discarded before the pager starts, as it would read them as its commands. A pager that cannot be found is not
/// started (the text goes out plainly, and a line says why); one that ends in failure is reported.
final class PagedOutput: Sendable {
    private struct State {
        var held: [UInt8] = []
        var heldLines = 0
        var pager: ForegroundChild?
        var closed = false
        var noticeShown = false
        var wroteAny = false
    }

    private let state = Mutex(State())
    private let command: String?
    private let rows: Int

    /// Output paged by `command` (nil: never paged) on a screen of `rows` rows. A command whose program cannot be
    /// found pages nothing, and says so on standard error.
    init(command: String?, rows: Int) {
        if let command, !ForegroundChild.canRun(command) {
            try? OutputWriter.standardError.write(
                "intercom-sh: the pager '\(command)' cannot be found; output goes straight to the terminal (set PAGER, or --no-pager)\n")
            self.command = nil
        } else {
            self.command = command
        }
        self.rows = max(2, rows)
    }

    /// Writes `text`: held while it fits the screen, then through the pager; dropped once the pager quit.
    func write(_ text: String) {
        guard !text.isEmpty else { return }
        state.withLock { state in
            if state.noticeShown {
                try? OutputWriter.standardError.write("\r\u{1B}[K")
                state.noticeShown = false
            }
            state.wroteAny = true
            guard !state.closed else { return }
            let bytes = Array(text.utf8)
            if let pager = state.pager {
                Self.send(bytes, to: pager.input, &state)
                return
            }
            state.held += bytes
            state.heldLines += bytes.count { $0 == 10 }
            guard let command, state.heldLines >= rows - 1 else { return }
            start(command, &state)
        }
    }

    /// Shows `notice` on standard error while nothing was written yet; the first write clears it.
    func showNotice(_ notice: String) {
        state.withLock { state in
            guard !state.wroteAny, !state.noticeShown else { return }
            try? OutputWriter.standardError.write(notice)
            state.noticeShown = true
        }
    }

    /// Whether the pager quit before the output ended.
    var closed: Bool { state.withLock { $0.closed } }

    /// Ends the output: what was held goes to standard output, or the pager gets the end of its input and is waited
    /// for (the prompt comes back when it quits).
    func finish() {
        let pager = state.withLock { state -> ForegroundChild? in
            if state.noticeShown { try? OutputWriter.standardError.write("\r\u{1B}[K") }
            state.noticeShown = false
            if !state.held.isEmpty { _ = state.held.withUnsafeBytes { PrivateFileDescriptor.writeAll(STDOUT_FILENO, $0) } }
            state.held = []
            defer { state.pager = nil }
            return state.pager
        }
        guard let pager, let command else { return }
        let status = pager.finish()
        // Quitting early closes the pipe under the pager's feet, which is no failure of the pager.
        if status != 0 && !closed {
            try? OutputWriter.standardError.write(
                "intercom-sh: the pager '\(command)' ended with status \(status); what it did not show is lost: set PAGER, or --no-pager\n")
        } else if status != 0, closed, status != 141 {
            try? OutputWriter.standardError.write(
                "intercom-sh: the pager '\(command)' ended with status \(status) before the output did: set PAGER, or --no-pager\n")
        }
    }

    /// Starts `command` with a pipe for its input and feeds it what was held; without a pager, the text goes out.
    private func start(_ command: String, _ state: inout State) {
        LineEditor.discardTypeAhead()
        guard let pager = ForegroundChild.start(command) else {
            _ = state.held.withUnsafeBytes { PrivateFileDescriptor.writeAll(STDOUT_FILENO, $0) }
            state.held = []
            return
        }
        state.pager = pager
        let held = state.held
        state.held = []
        Self.send(held, to: pager.input, &state)
    }

    /// Writes `bytes` to the pager; when it has quit (EPIPE), the output is closed.
    private static func send(_ bytes: [UInt8], to input: Int32, _ state: inout State) {
        if bytes.withUnsafeBytes({ PrivateFileDescriptor.writeAll(input, $0) }) != nil { state.closed = true }
    }
}
