import IntercomKit
import IntercomShell

/// What each fuzz target checks for one input. Any input may be refused, but never with a crash, a hang or an
/// error without a message, and what is accepted must hold together (a parsed JSON document writes and reads back
/// the same; an accepted operation builds its request or says why not).
public enum FuzzChecks {
    /// The command language: tokenizer, parser, the line interpreter and completion on any line.
    public static func checkCommandLanguage(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = CommandTokenizer.split(text)
        check(LineInterpreter().interpret(text))
        _ = CompletionEngine.complete(text, known: KnownValues())
        _ = LineInterpreter.continues(text)
    }

    /// NDJSON: lines cut from raw bytes (invalid UTF-8, over-long lines), each decoded into an operation; and the
    /// JSON parser alone, whose accepted documents must round-trip through the writer.
    public static func checkNDJSON(_ bytes: UnsafeRawBufferPointer) {
        var splitter = LineSplitter(maximumLineBytes: 4096)
        let decoder = NDJSONOperationDecoder()
        for line in splitter.feed(bytes) + splitter.finish() {
            guard case .success(let text) = line.content else { continue }
            switch Result(catching: { () throws(InputError) in try decoder.decode(text) }) {
            case .success(let operation): checkRequest(operation)
            case .failure(let error): precondition(!error.message.isEmpty, "an error without a message")
            }
        }
        if let value = try? JSONParser.parse(bytes) {
            // Writing normalises numbers (1.5e3 is written 1500 and reads back as an integer), so the check is that
            // a written document is a fixed point: it reads back and writes out byte for byte the same.
            var written: [UInt8] = []
            value.write(to: &written)
            guard let reread = try? JSONParser.parse(written) else {
                preconditionFailure("the writer produced JSON its parser refuses: \(String(decoding: written, as: UTF8.self))")
            }
            var rewritten: [UInt8] = []
            reread.write(to: &rewritten)
            precondition(rewritten == written, "a written document does not read back the same")
        }
    }

    /// `${…}` references: the first line is a JSON result remembered as `r` (and as the previous result), the
    /// rest is interpolated, both as a command line and inside the strings of an NDJSON object.
    public static func checkInterpolation(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        var context = ReferenceContext(variables: ["name": "value", "n": "7"], environment: ["HOME": "/home/fuzz"])
        if let result = try? JSONValue(parsing: String(parts[0])) { context.remember(result, as: "r") }
        let template = parts.count > 1 ? String(parts[1]) : String(parts[0])
        _ = ReferenceContext.mayHoldReference(template)
        switch Result(catching: { () throws(InputError) in try context.interpolate(template) }) {
        case .success: break
        case .failure(let error): precondition(!error.message.isEmpty, "an error without a message")
        }
        let interpreted = LineInterpreter().interpret(template, context: context)
        check(interpreted)
        // A line said to hold no reference, in any spelling, runs apart from the results before it (at --concurrency
        // and in a parallel dry run): what it means must not depend on them.
        if !ReferenceContext.lineMayHoldReference(template) {
            precondition(
                interpreted == LineInterpreter().interpret(template, context: ReferenceContext()),
                "a line said to hold no reference reads results: \(template)")
        }
        _ = try? context.interpolateStrings(in: .object(["value": .string(template), "list": .array([.string(template)])]))
    }

    private static func check(_ result: Result<ParsedLine, InputError>) {
        switch result {
        case .success(.operation(let operation)): checkRequest(operation)
        case .success: break
        case .failure(let error): precondition(!error.message.isEmpty, "an error without a message")
        }
    }

    private static func checkRequest(_ operation: Operation) {
        switch Result(catching: { () throws(InputError) in try operation.request(now: { 1_700_000_000 }) }) {
        case .success: break
        case .failure(let error): precondition(!error.message.isEmpty, "an error without a message")
        }
    }
}
