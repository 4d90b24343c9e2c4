import CLibEdit
public import Foundation
import Synchronization

/// Set by the SIGINT handler; read and cleared by the prompt and by whoever waits on a request.
let interruptReceived = Atomic<Bool>(false)

/// The thread that reads lines. SIGINT may be delivered to any thread of the process (NIO's, Dispatch's); the
/// handler forwards it to this one so that its blocked read() is interrupted and el_gets returns.
let readingThread = Atomic<UInt>(0)

/// What completion offers for the text before the cursor.
public struct CompletionOffer: Sendable, Hashable {
    /// Text to insert at the cursor (the candidates' common prefix beyond what is typed).
    public var insertion: String
    /// Every candidate, listed when there are several.
    public var candidates: [String]

    /// Creates an offer.
    public init(insertion: String, candidates: [String]) {
        self.insertion = insertion
        self.candidates = candidates
    }
}

/// How a read of one line ended.
public enum LineReadResult: Sendable, Hashable {
    /// A line (without its newline).
    case line(String)
    /// Ctrl-C: the line being typed was discarded.
    case interrupted
    /// Ctrl-D on an empty line, or the end of input.
    case endOfInput
}

/// A line editor on libedit: emacs keys, history (persisted), Ctrl-R search, ~/.editrc, Tab completion, UTF-8.
///
/// Reading blocks the calling thread: call it from a thread of its own, never from Swift concurrency's pool.
public final class LineEditor {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: URL?
    private var promptBuffer: UnsafeMutablePointer<CChar>
    /// Called with the text before the cursor when Tab is pressed; must not block.
    public var completer: ((String) -> CompletionOffer)?

    /// Opens an editor on the process's terminal; `historyFile` is loaded now and written by ``saveHistory()``.
    public init(programName: String, historyFile: URL?, historySize: Int = 1_000) {
        clibedit_set_locale()
        LineEditor.installInterruptHandler()
        editLine = clibedit_init(programName)
        history = clibedit_history_init()
        self.historyFile = historyFile
        promptBuffer = strdup("> ")
        clibedit_history_set_size(history, Int32(historySize))
        clibedit_history_set_unique(history, 1)
        clibedit_set_history(editLine, history)
        clibedit_set_editor(editLine, "emacs")
        clibedit_set_signal(editLine, 1)
        clibedit_set_prompt(editLine) { editLine in
            guard let editLine, let data = clibedit_get_client_data(editLine) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().promptBuffer
        }
        clibedit_add_function(editLine, "intercom-complete", "Complete the word before the cursor") { editLine, _ in
            guard let editLine, let data = clibedit_get_client_data(editLine) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
        }
        clibedit_bind(editLine, "^I", "intercom-complete")
        clibedit_bind(editLine, "^R", "em-inc-search-prev")
        // Home, End and Delete as tmux, rxvt and some xterms send them (`\e[1~`), which libedit does not know: unbound,
        // their `~` would land in the line. ~/.editrc, read after, may bind them otherwise.
        for (key, function) in Self.extraKeys { clibedit_bind(editLine, key, function) }
        clibedit_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
        _ = clibedit_source(editLine, nil)
        if let historyFile {
            _ = clibedit_history_load(history, historyFile.path)
        }
    }

    /// Key sequences bound beyond libedit's defaults: the VT220 forms of Home, End and Delete, and `\e[H`/`\e[F`.
    static let extraKeys: [(String, String)] = [
        ("\\e[1~", "ed-move-to-beg"), ("\\e[7~", "ed-move-to-beg"), ("\\e[H", "ed-move-to-beg"), ("\\eOH", "ed-move-to-beg"),
        ("\\e[4~", "ed-move-to-end"), ("\\e[8~", "ed-move-to-end"), ("\\e[F", "ed-move-to-end"), ("\\eOF", "ed-move-to-end"),
        ("\\e[3~", "ed-delete-next-char"),
    ]

    deinit {
        el_end(editLine)
        clibedit_history_end(history)
        free(promptBuffer)
    }

    /// Reads one line, showing `prompt`.
    public func readLine(prompt: String) -> LineReadResult {
        free(promptBuffer)
        promptBuffer = strdup(prompt)
        interruptReceived.store(false, ordering: .relaxed)
        readingThread.store(UInt(pthread_self()), ordering: .relaxed)
        // Threads made from Dispatch's inherit its mask, which blocks SIGINT: let this one take it.
        var interruptOnly = sigset_t()
        sigemptyset(&interruptOnly)
        sigaddset(&interruptOnly, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interruptOnly, nil)
        var count: Int32 = 0
        guard let raw = el_gets(editLine, &count) else {
            if interruptReceived.exchange(false, ordering: .relaxed) {
                clibedit_print("\n")
                return .interrupted
            }
            return .endOfInput
        }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Adds a line to the history (consecutive duplicates are dropped).
    public func addHistory(_ line: String) {
        _ = clibedit_history_enter(history, line)
    }

    /// Writes the history file with mode 0600 (creating its folder), atomically: the history is written to a new
    /// file beside it, which then replaces it, so a process killed while saving leaves the old history whole.
    public func saveHistory() {
        guard let historyFile else { return }
        let directory = historyFile.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = historyFile.path + ".\(getpid()).new"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        close(descriptor)
        guard clibedit_history_save(history, temporary) >= 0 else {
            unlink(temporary)
            return
        }
        chmod(temporary, 0o600)
        if rename(temporary, historyFile.path) != 0 { unlink(temporary) }
    }

    /// Whether Ctrl-C was pressed since the last call (and clears it): for cancelling work between reads.
    public static func takeInterrupt() -> Bool {
        interruptReceived.exchange(false, ordering: .relaxed)
    }

    /// Discards type-ahead (what was typed while a request ran).
    public static func discardTypeAhead() {
        tcflush(STDIN_FILENO, TCIFLUSH)
    }

    private func complete() -> UInt8 {
        guard let completer, let info = clibedit_line(editLine) else { return UInt8(CC_REFRESH_BEEP) }
        let length = info.pointee.cursor - info.pointee.buffer
        let bytes = UnsafeRawBufferPointer(start: info.pointee.buffer, count: length)
        let before = String(decoding: bytes, as: UTF8.self)
        let offer = completer(before)
        if !offer.insertion.isEmpty {
            _ = el_insertstr(editLine, offer.insertion)
            return UInt8(CC_REFRESH)
        }
        if offer.candidates.count > 1 {
            let width = TerminalSize.columns(of: STDOUT_FILENO) ?? 80
            clibedit_print("\n" + CandidateLayout.text(offer.candidates, width: width - 1) + "\n")
            return UInt8(CC_REDISPLAY)
        }
        return UInt8(CC_REFRESH_BEEP)
    }

    private static let installHandler: Void = {
        _ = interruptReceived.load(ordering: .relaxed)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            interruptReceived.store(true, ordering: .relaxed)
            let reader = readingThread.load(ordering: .relaxed)
            if reader != 0 && pthread_equal(pthread_self(), pthread_t(reader)) == 0 {
                pthread_kill(pthread_t(reader), signal)
            }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }()

    private static func installInterruptHandler() { _ = installHandler }
}
