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
}
