import XCTest
@testable import Psyx

/// `RelocationWorkerScenarios` on the test PostgreSQL server (`PSYX_TEST_POSTGRES`).
final class PostgreSQLRelocationWorkerTests: XCTestCase, RelocationWorkerScenarios {
    let backend = StoreBackend.postgresql

    func testDrainMovesCompletesAndLogsEachMove() throws { try drainMovesCompletesAndLogsEachMove() }
    func testAJobWhoseFileIsNowhereIsGivenBackForLater() throws { try aJobWhoseFileIsNowhereIsGivenBackForLater() }
    func testAFileLeftInAThirdLevelIsFoundAndMoved() throws { try aFileLeftInAThirdLevelIsFoundAndMoved() }
    func testADeadWorkersJobIsTakenAfterItsLease() throws { try aDeadWorkersJobIsTakenAfterItsLease() }
    func testALeaseLostMidCopyAbandonsThatCopyCleanly() throws { try aLeaseLostMidCopyAbandonsThatCopyCleanly() }
    func testStoppingMidCopyGivesTheJobBackAtOnce() throws { try stoppingMidCopyGivesTheJobBackAtOnce() }
    func testTwoWorkersShare200JobsEachDoneExactlyOnce() throws { try twoWorkersShare200JobsEachDoneExactlyOnce() }
}
