#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport
import Synchronization

/// Participants arriving without pause through Nginx while a test does something else: `workers`
/// threads, each starting and submitting one new participant (`no` distinct) after another until
/// `stop()`. Records when each submit was sent and whether it was acknowledged.
final class SubmitStream: Sendable {
    struct Submit: Sendable {
        var no: String
        var sent: Date
        var acknowledged: Bool
    }

    /// What the workers share with the test.
    private final class State: Sendable {
        let running = Atomic<Bool>(true)
        let submits = Mutex<[Submit]>([])
        let failures = Mutex<[String]>([])
    }

    private let state = State()
    private let workers: [ReliabilityThreads.Background<Int>]

    init(port: Int, workers count: Int, sex: Int, age: Int) {
        let http = ReliabilityHTTP(port: port)
        var workers: [ReliabilityThreads.Background<Int>] = []
        let state = self.state
        for worker in 0..<count {
            workers.append(ReliabilityThreads.Background { () -> Int in
                var index = 0
                while state.running.load(ordering: .relaxed) {
                    let participant = ParticipantFixture(no: "S\(worker)X\(index)", sex: sex, age: age)
                    index += 1
                    do {
                        let started = try http.post("/api/reply/start", json: participant.details)
                        guard started.status == 200, let answer = started.json as? [String: Any],
                              let packID = answer["p_id"] as? Int, let pairs = answer["pic_pairs"] as? [[String]] else {
                            state.failures.withLock { $0.append("start \(started.status): \(started.text.prefix(200))") }
                            continue
                        }
                        let sent = Date()
                        let submitted = try http.post("/api/reply/submit", json: participant.submit(packID: packID, pairs: pairs))
                        let acknowledged = submitted.status == 200 && submitted.text == "Reply Submitted."
                        if !acknowledged { state.failures.withLock { $0.append("submit \(submitted.status): \(submitted.text.prefix(200))") } }
                        state.submits.withLock { $0.append(Submit(no: participant.no, sent: sent, acknowledged: acknowledged)) }
                    } catch {
                        state.failures.withLock { $0.append("\(error)") }
                    }
                    usleep(5_000)
                }
                return index
            })
        }
        self.workers = workers
    }

    var acknowledged: [Submit] { state.submits.withLock { $0.filter(\.acknowledged) } }
    var all: [Submit] { state.submits.withLock { $0 } }
    var problems: [String] { state.failures.withLock { $0 } }

    /// Stops every worker after its current participant; false when one did not finish in time.
    func stop() -> Bool {
        state.running.store(false, ordering: .relaxed)
        return workers.allSatisfy { $0.wait(seconds: 60) != nil }
    }
}
