// SPDX-License-Identifier: Apache-2.0

// MARK: - libFuzzer's driver

/// libFuzzer's driver, which parses the command line and runs the fuzzing loop.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// Hands the command line to libFuzzer's driver with `target` as the function it fuzzes.
///
/// SwiftPM links an executable with `main` aliased to `<target>_main`, which hides libFuzzer's own `main`: each
/// fuzzer defines that symbol with `@_cdecl` and calls this.
///
/// - Parameters:
///   - argc: The argument count.
///   - argv: The arguments.
///   - target: The fuzz target (`LLVMFuzzerTestOneInput`'s signature).
/// - Returns: libFuzzer's exit status.
public func runFuzzer(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ target: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, target)
}
