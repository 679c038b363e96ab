import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// The analysis follows a withdrawal at once, even when a new reply brings the count back to what
/// it was (the cached sums and pictures are keyed by `ReplyState`, not by the count).
final class AnalysisWithdrawalTests: XCTestCase {
    func testCIAndInfoValFollowAWithdrawalAtTheSameReplyCount() throws {
        let app = try AppHarness(packSize: 20)
        let synthetic = SyntheticPack(width: 16, height: 12, pairs: 20, seed: 9)
        let pack = try AnalysisFixture(app: app, synthetic: synthetic, name: "live")
        let evidence = synthetic.evidence()
        pack.submit(SyntheticPack.responses(seed: 1, evidence: evidence, pairs: 20), no: "w1", seed: 1)
        pack.submit([1, -1, -1, 1] + Array(repeating: 0, count: 16), no: "w2", seed: 2)
        let before = pack.ci()
        let beforeAuto = pack.ci("&r_id=1&scaling=autoscale")
        XCTAssertEqual(try pack.infoVals().map { $0["r_id"] as? Int }, [1, 2])

        XCTAssertEqual(app.call("POST", "/api/admin/withdraw", query: "r_id=2").text, "1 Reply Deleted.")
        pack.submit(SyntheticPack.responses(seed: 3, evidence: evidence.map { -$0 }, pairs: 20), no: "w3", seed: 3)
        XCTAssertEqual(try app.application.store.replyCount(packID: Int64(pack.packID)), 2, "the same count as before")

        let after = pack.ci()
        XCTAssertNotEqual(after.body, before.body)
        XCTAssertNotEqual(pack.ci("&r_id=1&scaling=autoscale").body, beforeAuto.body)
        XCTAssertEqual(pack.ci("&r_id=2").sentence, "Unknown Reply 2")
        XCTAssertEqual(try pack.infoVals().map { $0["r_id"] as? Int }, [1, 3])
        try pack.assertCIsMatchAFreshService(replies: [1, 3])
        let fresh = AnalysisService(store: app.application.store, data: app.application.data, log: nil)
        let rounded = try fresh.infoVals(packID: Int64(pack.packID)).map { $0.infoVal.map { ($0 * 10_000).rounded() / 10_000 } }
        XCTAssertEqual(rounded, try pack.infoVals().map { $0["infoval"] as? Double }, "as written: four decimals")

        // Every reply withdrawn: no CI any more, rather than the last one kept.
        XCTAssertEqual(app.call("POST", "/api/admin/withdraw", query: "r_id=1").status, 200)
        XCTAssertEqual(app.call("POST", "/api/admin/withdraw", query: "r_id=3").status, 200)
        XCTAssertEqual(pack.ci().sentence, "No Replies Yet")
    }
}
