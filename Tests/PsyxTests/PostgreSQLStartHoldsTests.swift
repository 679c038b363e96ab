import Foundation
import XCTest
@testable import Psyx

/// `StartHoldScenarios` on the test PostgreSQL server, plus the table's kind and its sweep.
final class PostgreSQLStartHoldsTests: XCTestCase, StartHoldScenarios {
    let backend = StoreBackend.postgresql

    func testAClaimHoldsTheNumberForItsTokenOnly() throws { try aClaimHoldsTheNumberForItsTokenOnly() }
    func testAnEndedHoldIsFreeAndARenewalKeepsIt() throws { try anEndedHoldIsFreeAndARenewalKeepsIt() }
    func testAnotherRespondersClaimIsSeenAtOnce() throws { try anotherRespondersClaimIsSeenAtOnce() }
    func testRacingClaimsHaveOneWinner() throws { try racingClaimsHaveOneWinner() }

    /// UNLOGGED (no WAL, so no fsync and no standby wait), and the claim commits with
    /// `synchronous_commit` off for itself only: the session's setting is untouched afterwards.
    func testTheTableIsUnloggedAndClaimsLeaveTheSessionDurable() throws {
        let fixture = try HoldsFixture(backend)
        let holds = try XCTUnwrap(fixture.holds as? PostgreSQLHolds)
        XCTAssertEqual(try fixture.stores.text("SELECT relpersistence FROM pg_class WHERE oid = 'holds'::regclass"), "u")
        XCTAssertTrue(try holds.claim(packID: 1, no: "n", token: Self.tokenA, seconds: 60))
        try holds.pool.read { db in
            XCTAssertEqual(try db.execute("SHOW synchronous_commit").first?.text(0), "on")
        }
        XCTAssertEqual(try fixture.stores.text("SELECT token FROM holds WHERE p_id = 1 AND no_folded = 'n'"), Self.tokenA)
    }

    func testTheSweepTakesEndedHoldsOnly() throws {
        let fixture = try HoldsFixture(backend)
        let holds = try XCTUnwrap(fixture.holds as? PostgreSQLHolds)
        for index in 0..<(PostgreSQLHolds.sweepLimit + 10) {
            XCTAssertTrue(try holds.claim(packID: 1, no: "short\(index)", token: Self.tokenA, seconds: 2))
        }
        XCTAssertTrue(try holds.claim(packID: 1, no: "long", token: Self.tokenA, seconds: 60))
        usleep(2_100_000)
        try holds.sweep()
        XCTAssertEqual(try holds.count(), 11)
        try holds.sweep()
        XCTAssertEqual(try holds.count(), 1)
        XCTAssertTrue(try holds.isHeld(packID: 1, no: "long"))
    }

    /// The lease: a responder that read "no hold in this pack" answers tokenless starts from memory,
    /// so the pack's first claim (on any responder) waits until that memory has surely run out.
    func testAPacksFirstClaimWaitsUntilNoResponderStillThinksItHasNoHolds() throws {
        let fixture = try HoldsFixture(backend)
        let (one, other) = (fixture.holds, try fixture.another())
        XCTAssertFalse(one.answersInline(packID: 5, withToken: false), "nothing known yet")
        XCTAssertFalse(try one.isHeld(packID: 5, no: "a"))
        XCTAssertTrue(one.answersInline(packID: 5, withToken: false), "known: no hold in the pack")
        XCTAssertFalse(one.answersInline(packID: 5, withToken: true), "a claim always asks the server")
        let began = Date()
        XCTAssertTrue(try other.claim(packID: 5, no: "a", token: Self.tokenA, seconds: 60))
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(began), PostgreSQLHolds.leaseSeconds)
        XCTAssertFalse(one.answersInline(packID: 5, withToken: false), "its memory ran out before the claim was answered")
        XCTAssertTrue(try one.isHeld(packID: 5, no: "A"))
        let again = Date()
        XCTAssertTrue(try other.claim(packID: 5, no: "b", token: Self.tokenA, seconds: 60))
        XCTAssertTrue(try one.claim(packID: 5, no: "c", token: Self.tokenB, seconds: 60), "ready for every responder now")
        XCTAssertLessThan(Date().timeIntervalSince(again), PostgreSQLHolds.leaseSeconds / 2, "only a pack's first claim waits")
        XCTAssertFalse(one.answersInline(packID: 5, withToken: false), "a pack with holds is read every time")
        XCTAssertFalse(try one.isHeld(packID: 5, no: "d"))
        XCTAssertEqual(try fixture.stores.text("SELECT ready FROM hold_packs WHERE p_id = 5"), "t")
    }
}
