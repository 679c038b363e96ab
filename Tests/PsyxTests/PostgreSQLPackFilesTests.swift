import Foundation
import FastCGI
import PsyxTestSupport
import XCTest
@testable import Psyx

/// Pack images in PostgreSQL (issue 19 item 1): stored with the pack row in its transaction, gone
/// with it, and copied into each responder's `packs/` when first needed (`PackCopies`).
final class PostgreSQLPackFilesTests: XCTestCase {
    private var folders: [String] = []

    override func tearDown() {
        for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
        super.tearDown()
    }

    private func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "psyx-packfiles-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        folders.append(path)
        return path
    }

    /// A staged pack folder: two pairs, with bytes a text column could not hold (NUL, 0xFF).
    private func stagedPack(_ name: String, sex: Int = 1, marker: UInt8 = 0, longer: Int = 0) throws -> NewPack {
        let folder = try temporaryFolder()
        let pairs = (1...2).map { PackPair(number: $0, ori: "x_0000\($0)_ori.jpg", inv: "x_0000\($0)_inv.jpg") }
        for pair in pairs {
            for file in [pair.ori, pair.inv] {
                let bytes: [UInt8] = [0xFF, 0xD8, 0x00, marker, UInt8(pair.number)] + Array(file.utf8) + [0x00, 0xFF] + Array(repeating: 7, count: longer)
                XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/" + file, contents: Data(bytes)))
            }
        }
        return NewPack(name: name, sex: sex, ageMin: 20, ageMax: 29, pairs: pairs, folder: folder)
    }

    private func fileBytes(_ folder: String) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            out[name] = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        }
        return out
    }

    private func node(_ store: any ExperimentStore) throws -> (copies: PackCopies, data: DataDirectory) {
        let data = DataDirectory(try temporaryFolder())
        try data.prepare()
        return (PackCopies(data: data, files: try XCTUnwrap(store as? any SharedPackFiles), store: store, log: nil), data)
    }

    func testFilesAreStoredWithThePackByteForByteAndGoWithIt() throws {
        let fixture = try StoreFixture(.postgresql)
        let store = try XCTUnwrap(fixture.store as? PostgreSQLStore)
        let pack = try stagedPack("faces")
        let id = try store.createPack(pack, beforeCommit: {})
        let names = try XCTUnwrap(try store.packFileNames(id: id, name: "faces"))
        XCTAssertEqual(names.count, 4)
        var stored: [String: [UInt8]] = [:]
        for name in names { stored[name] = try store.packFile(id: id, file: name) }
        XCTAssertEqual(stored, try fileBytes(try XCTUnwrap(pack.folder)))
        XCTAssertNil(try store.packFileNames(id: id, name: "other"), "the name must match the id")
        XCTAssertNotNil(try store.removePack(id: id, beforeCommit: { _ in }))
        XCTAssertEqual(try fixture.count("pack_files"), 0)
        XCTAssertNil(try store.packFileNames(id: id, name: "faces"))
        XCTAssertNil(try store.packFile(id: id, file: names[0]))
    }

    func testAFailedCreateLeavesNoFiles() throws {
        struct Refused: Error {}
        let fixture = try StoreFixture(.postgresql)
        XCTAssertThrowsError(try fixture.store.createPack(try stagedPack("faces"), beforeCommit: { throw Refused() }))
        XCTAssertEqual(try fixture.count("packs"), 0)
        XCTAssertEqual(try fixture.count("pack_files"), 0)
        // A create refused by the database (the name taken) leaves none either.
        _ = try fixture.store.createPack(try stagedPack("faces"), beforeCommit: {})
        XCTAssertThrowsError(try fixture.store.createPack(try stagedPack("faces", sex: 2), beforeCommit: {}))
        XCTAssertEqual(try fixture.count("pack_files"), 4)
    }

    /// Node A takes the upload; node B (another store, another data directory) copies the pack when
    /// asked, drops the copy once A removed it, and copies the new pack of the same name afresh.
    func testAnotherNodeCopiesThePackWhenAskedAndDropsItWhenItIsGone() throws {
        let fixture = try StoreFixture(.postgresql)
        let storeB = try fixture.openStore()
        let b = try node(storeB)
        let pack = try stagedPack("faces")
        let id = try fixture.store.createPack(pack, beforeCommit: {})

        let folder = try b.copies.ensure(id: id, name: "faces")
        XCTAssertEqual(folder, b.data.packs + "/faces")
        XCTAssertEqual(try fileBytes(folder), try fileBytes(try XCTUnwrap(pack.folder)))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: b.data.staging).filter { $0.hasPrefix("copy-") }, [])
        try b.copies.sweep()
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder), "a pack that exists keeps its copy")

        XCTAssertNotNil(try fixture.store.removePack(id: id, beforeCommit: { _ in }))
        try b.copies.sweep()
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
        XCTAssertThrowsError(try b.copies.ensure(id: id, name: "faces")) { XCTAssertEqual($0 as? APIError, .notFound) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "no copy of a removed pack")

        // B copies the first pack, A removes it and makes another of the same name: B's copy is replaced.
        let first = try fixture.store.createPack(try stagedPack("faces", marker: 1), beforeCommit: {})
        try b.copies.ensure(id: first, name: "faces")
        XCTAssertNotNil(try fixture.store.removePack(id: first, beforeCommit: { _ in }))
        let second = try stagedPack("faces", marker: 2)
        let secondID = try fixture.store.createPack(second, beforeCommit: {})
        try b.copies.ensure(id: secondID, name: "faces")
        XCTAssertEqual(try fileBytes(folder), try fileBytes(try XCTUnwrap(second.folder)))
    }

    /// B was down while A removed the pack and made another of the same name: at B's start its
    /// copy (other files) is dropped, and the new pack copied when asked; a current copy stays.
    func testStartUpDropsACopyOfAnEarlierPackOfTheSameName() throws {
        let fixture = try StoreFixture(.postgresql)
        let storeB = try fixture.openStore()
        let b = try node(storeB)
        let first = try fixture.store.createPack(try stagedPack("faces"), beforeCommit: {})
        let kept = try fixture.store.createPack(try stagedPack("kept", sex: 2), beforeCommit: {})
        try b.copies.ensure(id: first, name: "faces")
        try b.copies.ensure(id: kept, name: "kept")
        XCTAssertNotNil(try fixture.store.removePack(id: first, beforeCommit: { _ in }))
        let again = try stagedPack("faces", longer: 3)
        let againID = try fixture.store.createPack(again, beforeCommit: {})

        let restarted = PackCopies(data: b.data, files: try XCTUnwrap(storeB as? any SharedPackFiles), store: storeB, log: nil)
        XCTAssertEqual(try restarted.dropOutdatedCopies(), ["faces"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: b.data.packs + "/kept"))
        try restarted.ensure(id: againID, name: "faces")
        XCTAssertEqual(try fileBytes(b.data.packs + "/faces"), try fileBytes(try XCTUnwrap(again.folder)))
        XCTAssertEqual(try restarted.dropOutdatedCopies(), [])
    }

    /// B was down while A removed every pack: at B's start its record says which folders were
    /// copies, and they go, so start-up's reconciliation (no pack rows, folders left) does not refuse;
    /// a folder the record does not name is still left to it.
    func testStartUpDropsRecordedCopiesOfPacksRemovedWhileDown() throws {
        let fixture = try StoreFixture(.postgresql)
        let storeB = try fixture.openStore()
        let b = try node(storeB)
        let faces = try fixture.store.createPack(try stagedPack("faces"), beforeCommit: {})
        let kept = try fixture.store.createPack(try stagedPack("kept", sex: 2), beforeCommit: {})
        try b.copies.ensure(id: faces, name: "faces")
        try b.copies.ensure(id: kept, name: "kept")
        XCTAssertEqual(b.copies.record.read(), ["faces": faces, "kept": kept])
        XCTAssertNotNil(try fixture.store.removePack(id: faces, beforeCommit: { _ in }))

        let restarted = PackCopies(data: b.data, files: try XCTUnwrap(storeB as? any SharedPackFiles), store: storeB, log: nil)
        XCTAssertEqual(try restarted.dropRecordedCopiesOfGonePacks(), ["faces"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: b.data.packs), ["kept"])
        XCTAssertEqual(restarted.record.read(), ["kept": kept])
        let outcome = try PackFolderReconciliation(data: b.data, database: "test", log: RequestLog(directory: b.data.logs))
            .run(packNames: try storeB.packNames())
        XCTAssertEqual(outcome, .init())

        // Every pack gone: more likely the wrong database than a study emptied while B was down.
        // Nothing is dropped, and the reconciliation refuses to start, as on one machine.
        XCTAssertNotNil(try fixture.store.removePack(id: kept, beforeCommit: { _ in }))
        XCTAssertEqual(try restarted.dropRecordedCopiesOfGonePacks(), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: b.data.packs), ["kept"])
        XCTAssertThrowsError(try PackFolderReconciliation(data: b.data, database: "test", log: RequestLog(directory: b.data.logs))
            .run(packNames: try storeB.packNames()))
        try FileManager.default.removeItem(atPath: b.data.packs + "/kept")

        // A folder nobody recorded: still refused as on one machine.
        try FileManager.default.createDirectory(atPath: b.data.packs + "/stranger", withIntermediateDirectories: true)
        XCTAssertEqual(try restarted.dropRecordedCopiesOfGonePacks(), [])
        XCTAssertThrowsError(try PackFolderReconciliation(data: b.data, database: "test", log: RequestLog(directory: b.data.logs))
            .run(packNames: try storeB.packNames()))
    }

    /// A folder B cannot account for (no pack it copied) is left for start-up's reconciliation.
    func testTheSweepLeavesFoldersItDidNotCopyOfPacksItNeverSaw() throws {
        let fixture = try StoreFixture(.postgresql)
        let b = try node(fixture.store)
        try FileManager.default.createDirectory(atPath: b.data.packs + "/stranger", withIntermediateDirectories: true)
        try b.copies.sweep()
        XCTAssertTrue(FileManager.default.fileExists(atPath: b.data.packs + "/stranger"))
    }

    /// Many requests for a pack B has not copied yet: one copy, every request answered from it.
    func testConcurrentFirstRequestsMakeOneCopy() throws {
        let fixture = try StoreFixture(.postgresql)
        let storeB = try fixture.openStore()
        let b = try node(storeB)
        let id = try fixture.store.createPack(try stagedPack("faces"), beforeCommit: {})
        let copies = b.copies
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do { try copies.ensure(id: id, name: "faces") } catch { failures.withLock { $0 += 1 } }
        }
        XCTAssertEqual(failures.withLock { $0 }, 0)
        XCTAssertEqual(try fileBytes(b.data.packs + "/faces").count, 4)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: b.data.staging).filter { $0.hasPrefix("copy-") }, [])
    }
}

/// `GET /packs/<name>/<file>` (Nginx's fallback) through two responders' routes on one database.
final class PackFileRouteTests: XCTestCase {
    func testAnotherResponderAnswersAnImageItHadNotCopiedYet() throws {
        let schema = try PostgreSQLTestSchema()
        let a = try AppHarness(arguments: ["--database", schema.connectionString])
        let b = try AppHarness(arguments: ["--database", schema.connectionString])
        var fixture = PackFixture(name: "faces", pairs: 3)
        fixture.imageBytes = { number, side in TinyImages.jpeg + Array("\(number)\(side)".utf8) }
        XCTAssertEqual(a.upload(fixture.body()).text, "Pack 1 Added.")
        XCTAssertFalse(FileManager.default.fileExists(atPath: b.directory + "/packs/faces"))

        let file = PackFixture.fileName(2, "inv")
        let answer = b.call("GET", "/packs/faces/" + file, user: nil)
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertEqual(answer.header("Content-Type"), "image/jpeg")
        XCTAssertEqual(answer.body, fixture.imageBytes(2, "inv"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: b.directory + "/packs/faces").sorted(), fixture.fileNames.sorted())
        for path in ["/packs/faces/none.jpg", "/packs/other/" + file, "/packs/faces/", "/packs/faces/../faces/" + file,
                     "/packs/faces/.hidden", "/packs/faces/a/b"] {
            XCTAssertEqual(b.call("GET", path, user: nil).status, 404, path)
        }
        XCTAssertEqual(b.call("POST", "/packs/faces/" + file, user: nil).status, 405)
    }

    /// One machine: no such route, Nginx's 404 comes from the responder instead.
    func testOnSQLiteThereIsNoCopyAndNoRoute() throws {
        let app = try AppHarness()
        XCTAssertEqual(app.upload(PackFixture(name: "faces", pairs: 3).body()).status, 200)
        XCTAssertEqual(app.call("GET", "/packs/faces/" + PackFixture.fileName(1, "ori"), user: nil).status, 404)
        XCTAssertNil(app.application.packCopies)
    }
}
