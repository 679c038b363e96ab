import FastCGI
import Foundation
import XCTest
@testable import Psyx

/// Start holds (`StartHolds`), written once and run on both backends (`SQLiteStartHoldsTests`,
/// `PostgreSQLStartHoldsTests`), each on a real database; "another responder" is a second holds
/// object on the same database with a connection (SQLite) or pool (PostgreSQL) of its own.
protocol StartHoldScenarios {
    var backend: StoreBackend { get }
}

/// One database and any number of holds objects on it.
final class HoldsFixture {
    let stores: StoreFixture
    let holds: any StartHolds

    init(_ backend: StoreBackend) throws {
        stores = try StoreFixture(backend)
        holds = try Self.openHolds(on: stores.store, in: stores)
    }

    /// Holds on the same database through a store of their own: another responder.
    func another() throws -> any StartHolds {
        try Self.openHolds(on: try stores.openStore(), in: stores)
    }

    private static func openHolds(on store: any ExperimentStore, in stores: StoreFixture) throws -> any StartHolds {
        let location: DatabaseLocation = switch stores.backend {
        case .sqlite: .sqlite(path: stores.path)
        case .postgresql: .postgresql(try XCTUnwrap(stores.schema).info)
        }
        return try location.startHolds(beside: store)
    }
}

extension StartHoldScenarios {
    static var tokenA: String { "token-aaaaaaaaaaaa" }
    static var tokenB: String { "token-bbbbbbbbbbbb" }

    func aClaimHoldsTheNumberForItsTokenOnly() throws {
        let fixture = try HoldsFixture(backend)  // kept: its database goes with it
        let holds = fixture.holds
        XCTAssertFalse(try holds.isHeld(packID: 1, no: "S123"))
        XCTAssertTrue(try holds.claim(packID: 1, no: "S123", token: Self.tokenA, seconds: 60))
        XCTAssertTrue(try holds.isHeld(packID: 1, no: "S123"))
        XCTAssertTrue(try holds.isHeld(packID: 1, no: "s123"), "numbers are held case-blind, as replies are")
        XCTAssertTrue(try holds.claim(packID: 1, no: "s123", token: Self.tokenA, seconds: 60), "the same token resumes")
        XCTAssertFalse(try holds.claim(packID: 1, no: "S123", token: Self.tokenB, seconds: 60), "another token is refused")
        XCTAssertFalse(try holds.claim(packID: 1, no: "s123", token: Self.tokenB, seconds: 60))
        XCTAssertTrue(try holds.claim(packID: 1, no: "S124", token: Self.tokenB, seconds: 60), "another number is free")
        XCTAssertTrue(try holds.claim(packID: 2, no: "S123", token: Self.tokenB, seconds: 60), "the same number in another pack is free")
        XCTAssertFalse(try holds.isHeld(packID: 1, no: "S125"))
        XCTAssertFalse(try holds.isHeld(packID: 3, no: "S123"))
        XCTAssertTrue(try holds.claim(packID: 1, no: "S123", token: Self.tokenA, seconds: 60), "the first token still holds it")
    }

    func anEndedHoldIsFreeAndARenewalKeepsIt() throws {
        let fixture = try HoldsFixture(backend)  // kept: its database goes with it
        let holds = fixture.holds
        XCTAssertTrue(try holds.claim(packID: 1, no: "ends", token: Self.tokenA, seconds: 0.6))
        XCTAssertTrue(try holds.claim(packID: 1, no: "renewed", token: Self.tokenA, seconds: 0.6))
        XCTAssertFalse(try holds.claim(packID: 1, no: "ends", token: Self.tokenB, seconds: 60))
        usleep(400_000)
        XCTAssertTrue(try holds.claim(packID: 1, no: "renewed", token: Self.tokenA, seconds: 0.6), "renewed for another 0.6 s")
        usleep(400_000)
        XCTAssertFalse(try holds.isHeld(packID: 1, no: "ends"), "0.8 s after a hold of 0.6 s")
        XCTAssertTrue(try holds.isHeld(packID: 1, no: "renewed"), "0.4 s after its renewal")
        XCTAssertFalse(try holds.claim(packID: 1, no: "renewed", token: Self.tokenB, seconds: 60))
        XCTAssertTrue(try holds.claim(packID: 1, no: "ends", token: Self.tokenB, seconds: 60), "an ended hold is taken over")
        XCTAssertFalse(try holds.claim(packID: 1, no: "ends", token: Self.tokenA, seconds: 60), "and then held for the new token")
        XCTAssertTrue(try holds.isHeld(packID: 1, no: "ends"))
    }

    /// A tokenless start on one responder sees another responder's claim at once (on SQLite the
    /// first one's answer from memory must notice it too), and its end.
    func anotherRespondersClaimIsSeenAtOnce() throws {
        let fixture = try HoldsFixture(backend)
        let (one, other) = (fixture.holds, try fixture.another())
        XCTAssertFalse(try one.isHeld(packID: 7, no: "x1"))
        XCTAssertFalse(try one.isHeld(packID: 7, no: "x1"), "asked twice: the second answer may come from memory")
        XCTAssertTrue(try other.claim(packID: 7, no: "x1", token: Self.tokenA, seconds: 1))
        XCTAssertTrue(try one.isHeld(packID: 7, no: "x1"))
        XCTAssertFalse(try one.claim(packID: 7, no: "X1", token: Self.tokenB, seconds: 60))
        XCTAssertTrue(try one.claim(packID: 7, no: "x1", token: Self.tokenA, seconds: 1), "the token resumes on any responder")
        XCTAssertFalse(try one.isHeld(packID: 7, no: "x2"))
        usleep(1_200_000)
        XCTAssertFalse(try one.isHeld(packID: 7, no: "x1"))
        XCTAssertFalse(try other.isHeld(packID: 7, no: "x1"))
        XCTAssertTrue(try other.claim(packID: 7, no: "x2", token: Self.tokenB, seconds: 60))
        XCTAssertTrue(try one.isHeld(packID: 7, no: "x2"), "a claim after the first one's end is seen too")
    }

    /// Contenders on two responders claim the same numbers at the same moment with tokens of their
    /// own: the database lets exactly one win each number, and every contender agrees which.
    func racingClaimsHaveOneWinner() throws {
        let fixture = try HoldsFixture(backend)
        let sides = [fixture.holds, try fixture.another()]
        let numbers = 12, contenders = 8
        let wins = Locked<[String: [String]]>([:])
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: numbers * contenders) { index in
            let (number, contender) = ("race\(index % numbers)", index / numbers)
            let token = "contender-token-\(contender)"
            do {
                if try sides[contender % 2].claim(packID: 3, no: number, token: token, seconds: 60) {
                    wins.withLock { $0[number, default: []].append(token) }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        let winners = wins.withLock { $0 }
        XCTAssertEqual(winners.count, numbers)
        for (number, tokens) in winners {
            XCTAssertEqual(tokens.count, 1, "\(number): \(tokens)")
            for side in sides {
                XCTAssertTrue(try side.isHeld(packID: 3, no: number))
                XCTAssertTrue(try side.claim(packID: 3, no: number, token: tokens[0], seconds: 60))
                XCTAssertFalse(try side.claim(packID: 3, no: number, token: "someone-else-0000", seconds: 60))
            }
        }
    }
}
