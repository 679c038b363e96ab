import XCTest
@testable import Psyx

/// `RelocationStoreScenarios` on a real temporary SQLite file.
final class RelocationStoreTests: XCTestCase, RelocationStoreScenarios {
    let backend = StoreBackend.sqlite

    func testPostWritesAnUpdateJobAndUpdateWaitsUntilItIsDone() throws { try postWritesAnUpdateJobAndUpdateWaitsUntilItIsDone() }
    func testACountInTheCurrentLevelIsDoneAtOnceAndCommits() throws { try aCountInTheCurrentLevelIsDoneAtOnceAndCommits() }
    func testACountAboveTheTopRaisesTheStoredMax() throws { try aCountAboveTheTopRaisesTheStoredMax() }
    func testAnUnclaimedJobIsReplacedButAHeldOneIsReturnedAsItStands() throws { try anUnclaimedJobIsReplacedButAHeldOneIsReturnedAsItStands() }
    func testADoneJobIsReplacedByANewPost() throws { try aDoneJobIsReplacedByANewPost() }
    func testUnknownContentIsRefusedAndNothingChanges() throws { try unknownContentIsRefusedAndNothingChanges() }
    func testClaimsAreExclusiveAndLeasesExpire() throws { try claimsAreExclusiveAndLeasesExpire() }
    func testAReleasedJobWaitsForItsRetryTime() throws { try aReleasedJobWaitsForItsRetryTime() }
    func testLevelChangesAreValidatedAsAWholeAndPersisted() throws { try levelChangesAreValidatedAsAWholeAndPersisted() }
    func testRemovingALevelInUseOrInTheMiddleIsRefused() throws { try removingALevelInUseOrInTheMiddleIsRefused() }
    func testContentRegistrationChecks() throws { try contentRegistrationChecks() }
}
