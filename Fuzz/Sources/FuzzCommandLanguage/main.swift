import FuzzChecks

/// libFuzzer's entry point: one input, checked by `FuzzChecks.checkCommandLanguage`; a broken invariant traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommandLanguage(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzChecks.checkCommandLanguage(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}
