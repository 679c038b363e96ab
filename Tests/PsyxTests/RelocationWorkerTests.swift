import XCTest
@testable import Psyx

/// `RelocationWorkerScenarios` on a real temporary SQLite file.
final class RelocationWorkerTests: XCTestCase, RelocationWorkerScenarios {
    let backend = StoreBackend.sqlite

    func testDrainMovesCompletesAndLogsEachMove() throws { try drainMovesCompletesAndLogsEachMove() }
    func testAJobWhoseFileIsNowhereIsGivenBackForLater() throws { try aJobWhoseFileIsNowhereIsGivenBackForLater() }
    func testAFileLeftInAThirdLevelIsFoundAndMoved() throws { try aFileLeftInAThirdLevelIsFoundAndMoved() }
    func testADeadWorkersJobIsTakenAfterItsLease() throws { try aDeadWorkersJobIsTakenAfterItsLease() }
    func testALeaseLostMidCopyAbandonsThatCopyCleanly() throws { try aLeaseLostMidCopyAbandonsThatCopyCleanly() }
    func testStoppingMidCopyGivesTheJobBackAtOnce() throws { try stoppingMidCopyGivesTheJobBackAtOnce() }
    func testTwoWorkersShare200JobsEachDoneExactlyOnce() throws { try twoWorkersShare200JobsEachDoneExactlyOnce() }
}
