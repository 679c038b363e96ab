#if canImport(Glibc)
import Glibc
#endif

/// Stops the run when an invariant does not hold. libFuzzer sees the abort as a
/// crash and saves the input, so a broken invariant is reported like a memory error.
func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    guard condition() else {
        let text = "fuzz invariant failed at \(file):\(line): \(message())\n"
        _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        abort()
    }
}

/// The fuzzer's input as an array: harnesses never keep libFuzzer's pointer.
func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}
