import FuzzChecks

/// libFuzzer's entry point: one input, checked by `FuzzChecks.checkInterpolation`; a broken invariant traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInterpolation(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzChecks.checkInterpolation(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}
