import Foundation
import XCTest
@testable import Psyx

/// Open and closed packs: start's choice follows at once, a closed pack blocks no new pack, and
/// reopening one that overlaps an open pack is refused (the database's own rule: `+PackState` of
/// each backend's tests).
extension StoreScenarios {
    func aClosedPackIsNeverChosenAndOpeningItAgainIsSeenAtOnce() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 25)?.id, pack, "now remembered")
        XCTAssertEqual(try store.setPackOpen(id: pack, open: false)?.open, false)
        XCTAssertNil(try store.suitablePack(sex: 1, age: 25), "the remembered choice followed the close")
        XCTAssertEqual(try store.packSummaries().map(\.open), [false])
        XCTAssertNotNil(try store.pack(id: pack), "submit still finds the pack")
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "started")), .inserted(1), "one who started may submit")
        XCTAssertEqual(try store.setPackOpen(id: pack, open: false)?.open, false, "closing again changes nothing")
        XCTAssertEqual(try store.setPackOpen(id: pack, open: true)?.open, true)
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 25)?.id, pack)
        XCTAssertEqual(try store.packSummaries().map(\.open), [true])
        XCTAssertNil(try store.setPackOpen(id: 999, open: false))
        // The state is in the database: a new store (another responder) reads it.
        _ = try store.setPackOpen(id: pack, open: false)
        XCTAssertNil(try fixture.openStore().suitablePack(sex: 1, age: 25))
    }

    /// A researcher closes a pack to put a new one for the same people in its place.
    func aClosedPackBlocksNoNewPackAndReopeningAnOverlapIsRefused() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let old = try store.createPack(newPack("old", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertThrowsError(try store.createPack(newPack("new", sex: 1, 25, 35), beforeCommit: {}))
        _ = try store.setPackOpen(id: old, open: false)
        let new = try store.createPack(newPack("new", sex: 1, 25, 35), beforeCommit: {})
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 27)?.id, new)
        XCTAssertNil(try store.suitablePack(sex: 1, age: 22), "only the closed pack held 22")
        XCTAssertThrowsError(try store.setPackOpen(id: old, open: true)) { error in
            XCTAssertEqual((error as? StoreError).map { if case .conditionOverlap(let other) = $0 { other.name } else { "" } }, "new")
        }
        XCTAssertEqual(try store.packSummaries().map(\.open), [false, true], "the refused open changed nothing")
        XCTAssertNil(try store.suitablePack(sex: 1, age: 22))
        _ = try store.setPackOpen(id: new, open: false)
        XCTAssertEqual(try store.setPackOpen(id: old, open: true)?.open, true)
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 27)?.id, old)
        XCTAssertThrowsError(try store.createPack(newPack("third", sex: 1, 29, 40), beforeCommit: {}), "old is open again")
        let other = try store.createPack(newPack("women", sex: 2, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.setPackOpen(id: other, open: true)?.open, true, "another sex never overlaps")
    }
}
