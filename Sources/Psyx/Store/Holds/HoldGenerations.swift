import CLinux
import Glibc

/// Change counters for holds, in a small file that every process using the same `holds.sqlite` maps
/// (`MAP_SHARED`): a claim adds one to its pack's counter after its commit, so a start without a
/// token learns from one atomic load that nothing was claimed for its pack since it last read the
/// database — whether the claim came from this process or another one. Packs share `slots` counters
/// by id: two packs on one counter only cost each other a database read.
///
/// The file holds nothing but these numbers (zeros when new); removing it while a process has it
/// mapped would split the processes' counters, so it stays beside `holds.sqlite`.
final class HoldGenerations: @unchecked Sendable {  // the words are only read and added to atomically
    static let slots = 512
    private static let size = slots * MemoryLayout<UInt64>.stride
    private let words: UnsafeMutablePointer<UInt64>

    init(path: String) throws {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.failure("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        var info = stat()
        // Growing to the size is harmless when another process does it too: the new bytes are zeros.
        guard fstat(fd, &info) == 0, info.st_size >= Self.size || ftruncate(fd, off_t(Self.size)) == 0 else {
            throw StoreError.failure("cannot size \(path): \(String(cString: strerror(errno)))")
        }
        let map = mmap(nil, Self.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        guard let map, map != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw StoreError.failure("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        words = map.bindMemory(to: UInt64.self, capacity: Self.slots)
    }

    deinit { munmap(words, Self.size) }

    /// The pack's counter now.
    func value(for packID: Int64) -> UInt64 {
        psyx_atomic_load_u64(words + Self.slot(packID))
    }

    /// Adds one to the pack's counter (after a committed claim); returns the value before.
    @discardableResult
    func bump(_ packID: Int64) -> UInt64 {
        psyx_atomic_fetch_add_u64(words + Self.slot(packID), 1)
    }

    private static func slot(_ packID: Int64) -> Int {
        Int(UInt64(bitPattern: packID) % UInt64(slots))
    }
}
