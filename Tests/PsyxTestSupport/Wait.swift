import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waiting for something another thread or process does, without a fixed sleep.
public enum Wait {
    /// Polls `condition` every 5 ms until it holds or `timeout` passes; whether it held.
    public static func until(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }
}
