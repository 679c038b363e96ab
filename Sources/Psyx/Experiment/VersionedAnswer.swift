import FastCGI
import Synchronization

/// One rendered answer (its bytes) kept with the store's data version it was rendered at, and reused
/// while the version is unchanged: an unchanged answer then costs one version check instead of a
/// query and a render (`/api/admin/list` with a thousand packs: ~1.6 ms of CPU each time otherwise).
///
/// Correct only if the caller reads the version *before* reading the data it renders: the bytes are
/// then tagged with a version no newer than what they show, so a commit racing the render makes the
/// next call see a different version and render again (one extra refresh, never a stale answer).
/// A nil version (a store that cannot tell) is never cached.
final class VersionedAnswer: Sendable {
    private struct Entry {
        var version: Int64
        var bytes: [UInt8]
    }

    private let entry = Locked<Entry?>(nil)
    private let renderCount = Atomic<Int>(0)

    /// The kept bytes if they were rendered at `version`, else `render()`'s, which are kept for it.
    func bytes(at version: Int64?, render: () throws -> [UInt8]) throws -> [UInt8] {
        if let version, let kept = entry.withLock({ $0?.version == version ? $0?.bytes : nil }) {
            return kept
        }
        let bytes = try render()
        renderCount.add(1, ordering: .relaxed)
        if let version {
            // The replaced entry is handed out and released after the lock, not while others wait.
            _ = entry.withLock { entry -> Entry? in
                let replaced = entry
                entry = Entry(version: version, bytes: bytes)
                return replaced
            }
        }
        return bytes
    }

    /// How many times `render` ran (for tests: a reused answer does not render).
    var renders: Int {
        renderCount.load(ordering: .relaxed)
    }
}
