import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// This responder's copies of packs whose images the database keeps (PostgreSQL, several
/// responders): `packs/<name>/` is filled from the database the first time the pack is needed
/// here (an image Nginx did not find, the analysis), whole and atomically — written in
/// `staging/`, synced, then renamed into `packs/` — and dropped once the pack is gone
/// (`sweep`, run whenever the store's data version moves).
///
/// A folder is dropped only when this process knows which pack it copies and that pack's row is
/// gone (or the name now belongs to another pack): a folder nobody can account for is left to
/// start-up's `PackFolderReconciliation`, which quarantines it. Names of creates not yet committed
/// (`PackJournal`) are never touched.
final class PackCopies: Sendable {
    let data: DataDirectory
    let files: any SharedPackFiles
    let store: any ExperimentStore
    let log: RequestLog?
    /// The pack id each folder in `packs/` copies, as far as this process knows.
    private let known = Mutex<[String: Int64]>([:])
    /// One fill (or sweep) at a time: concurrent requests for a new pack wait for the one fill.
    private let filling = Mutex<Void>(())
    let record: PackCopyRecord
    /// What `record` holds, as this process last wrote it (nil: not written yet).
    private let recorded = Mutex<[String: Int64]?>(nil)

    init(data: DataDirectory, files: any SharedPackFiles, store: any ExperimentStore, log: RequestLog?) {
        self.data = data
        self.files = files
        self.store = store
        self.log = log
        record = PackCopyRecord(data: data)
    }

    /// Start-up, before `PackFolderReconciliation`: deletes each folder the record says copies a
    /// pack that is gone (or whose name another pack has now), and knows the others' packs.
    @discardableResult
    func dropRecordedCopiesOfGonePacks() throws -> [String] {
        var rows: [String: Int64] = [:]
        for pack in try store.packSummaries() { rows[pack.name] = pack.id }
        // A database without a single pack is more likely the wrong one (a typo in the setting, a
        // new empty database) than one whose every pack was removed while this node was down:
        // nothing is dropped, and start-up's reconciliation refuses with its explanation (issue 17 item 7).
        guard !rows.isEmpty else { return [] }
        let recorded = record.read()
        var dropped: [String] = []
        for name in packFolders().sorted() {
            guard let id = recorded[name] else { continue }
            if rows[name] == id {
                known.withLock { $0[name] = id }
            } else {
                drop(name)
                log?.note(.info, "dropped the copy of pack \(name) (\(id)), removed while this responder was down")
                dropped.append(name)
            }
        }
        saveRecord()
        return dropped
    }

    /// Writes the record when what this process knows changed since it last wrote it.
    private func saveRecord() {
        let now = known.withLock { $0 }
        let changed = recorded.withLock { recorded in
            defer { recorded = now }
            return recorded != now
        }
        if changed { record.write(now) }
    }

    /// The pack's folder, filled from the database first if this responder has none (or a copy
    /// of an earlier pack of the same name). Throws `APIError.notFound` for a pack that is gone.
    @discardableResult
    func ensure(id: Int64, name: String) throws -> String {
        let path = data.packs + "/" + name
        if isCurrent(path, name: name, id: id) { return path }
        try filling.withLock { _ in
            if isCurrent(path, name: name, id: id) { return }
            if exists(path) { drop(name) }  // a copy of an earlier pack of this name
            try fill(path, id: id, name: name)
        }
        return path
    }

    /// The folder this responder just moved into place for pack `id` (its own upload) is that
    /// pack's copy: known and recorded at once.
    func noteCreated(name: String, id: Int64) {
        filling.withLock { _ in
            known.withLock { $0[name] = id }
            saveRecord()
        }
    }

    /// Drops the copies of packs that are gone; learns which pack each other folder copies.
    func sweep() throws {
        let folders = packFolders()
        // The journal after the folders and before the rows: a folder listed with its create still
        // uncommitted is either journaled here or committed by the time the rows are read.
        let journaled = PackJournal(directory: data.staging).names()
        var rows: [String: Int64] = [:]
        for pack in try store.packSummaries() { rows[pack.name] = pack.id }
        filling.withLock { _ in
            var stale: [String] = []
            known.withLock { known in
                for name in folders where !journaled.contains(name) {
                    if let copied = known[name], rows[name] != copied {
                        stale.append(name)
                        known[name] = nil
                    } else if known[name] == nil, let id = rows[name] {
                        known[name] = id
                    }
                }
                for name in known.keys where !folders.contains(name) { known[name] = nil }
            }
            for name in stale {
                drop(name)
                log?.note(.info, "dropped the copy of removed pack \(name)")
            }
            saveRecord()
        }
    }

    /// Start-up: drops each folder whose files differ (by name and size) from those stored with
    /// the pack of its name — a copy of an earlier pack of that name, removed and made again while
    /// this responder was down — to be copied again when needed. Packs stored without files
    /// (before schema 3) are left alone. Returns the names dropped.
    @discardableResult
    func dropOutdatedCopies() throws -> [String] {
        let stored = try files.packFileSizes()
        var dropped: [String] = []
        for name in packFolders().sorted() {
            guard let expected = stored[name] else { continue }
            let path = data.packs + "/" + name
            var found: [String: Int] = [:]
            for file in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + file)
                guard attributes?[.type] as? FileAttributeType == .typeRegular else { continue }
                found[file] = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            }
            if found != expected {
                drop(name)
                log?.note(.warning, "dropped the copy of pack \(name): its files are not the stored pack's (made again while this responder was down?)")
                dropped.append(name)
            }
        }
        return dropped
    }

    /// Sweeps whenever the store's data version moves (or while it is unknown), about once a
    /// second, until this object is gone.
    func startSweeping(every interval: Double = 1) {
        Thread.detachNewThread { [weak self] in
            var last: Int64?
            while let copies = self {
                let version: Int64? = (try? copies.store.dataVersion()) ?? nil
                if version == nil || version != last {
                    do {
                        try copies.sweep()
                        last = version
                    } catch {
                        copies.log?.note(.warning, "sweeping pack copies: \(error)")
                    }
                }
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }

    private func isCurrent(_ path: String, name: String, id: Int64) -> Bool {
        guard exists(path) else { return false }
        return known.withLock { known in
            if let copied = known[name] { return copied == id }
            known[name] = id  // this responder's own upload, not swept yet
            return true
        }
    }

    private func fill(_ path: String, id: Int64, name: String) throws {
        guard let names = try files.packFileNames(id: id, name: name) else { throw APIError.notFound }
        let staged = data.staging + "/copy-" + RequestID.make()
        guard mkdir(staged, 0o750) == 0 else {
            throw APIError.internalError(cause: "pack copy folder: \(String(cString: strerror(errno)))")
        }
        do {
            for file in names {
                guard let bytes = try files.packFile(id: id, file: file) else { throw APIError.notFound }  // removed meanwhile
                guard FileManager.default.createFile(atPath: staged + "/" + file, contents: Data(bytes)) else {
                    throw APIError.internalError(cause: "writing pack copy file \(file)")
                }
            }
            try FileSync.syncFileSystem(holding: staged)
            guard rename(staged, path) == 0 else {
                throw APIError.internalError(cause: "renaming pack copy: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staged)
            throw error
        }
        FileSync.syncDirectory(data.packs)
        known.withLock { $0[name] = id }
        saveRecord()
        // Removed while it was copied: the sweep may have looked before the rename.
        if try !files.packExists(id: id, name: name) {
            drop(name)
            throw APIError.notFound
        }
        log?.note(.info, "copied pack \(name) (\(names.count) files) from the database")
    }

    private func drop(_ name: String) {
        known.withLock { $0[name] = nil }
        if let parked = try? PackFolder.park(data.packs + "/" + name, in: data.staging) { PackFolder.delete(parked) }
    }

    private func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private func packFolders() -> Set<String> {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: data.packs)) ?? []
        return Set(entries.filter { exists(data.packs + "/" + $0) })
    }
}
