import FuzzChecks

/// libFuzzer's entry point: one input, checked by `FuzzChecks.checkNDJSON`; a broken invariant traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNDJSON(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzChecks.checkNDJSON(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}
