/// A pack's replies as the CI needs them, kept up to date one reply at a time: each reply's
/// responses, and per pair the running sum of responses and the number of answers. A new reply
/// adds to the sums; nothing is recounted. A withdrawal starts a new tally (`PackAnalysis.sync`).
struct PackTally: Sendable {
    let files: PackFiles
    /// Pair number → row of the noise matrix (the pack's pairs in order).
    let pairIndex: [Int: Int]
    private(set) var responseSums: [Int32]
    private(set) var answerCounts: [Int32]
    /// By r_id, in the order they were added (ascending r_id).
    private(set) var replyIDs: [Int64] = []
    private(set) var responses: [Int64: [Int8]] = [:]
    /// The store's replies as counters when this tally was last synced (read before the replies):
    /// `version` keys what is made from the tally, and `deleted` tells when to start anew.
    var state = ReplyState(count: 0, deleted: 0)

    init(pack: Pack) {
        files = PackFiles(pack)
        var index: [Int: Int] = [:]
        for (row, pair) in pack.pairs.enumerated() { index[pair.number] = row }
        pairIndex = index
        responseSums = Array(repeating: 0, count: pack.pairs.count)
        answerCounts = Array(repeating: 0, count: pack.pairs.count)
    }

    var replyCount: Int { replyIDs.count }

    /// Adds one reply, its answers read with its layout (again: ignored).
    mutating func add(replyID: Int64, answers: String, layout: AnswerLayout) {
        guard responses[replyID] == nil else { return }
        let parsed = ReplyResponses.parse(answers, layout: layout, files: files, pairIndex: pairIndex)
        for (pair, response) in parsed.enumerated() where response != 0 {
            responseSums[pair] &+= Int32(response)
            answerCounts[pair] &+= 1
        }
        responses[replyID] = parsed
        replyIDs.append(replyID)
    }

    /// Weights of the pack CI, as rcicr's group CI: each answered pair's mean response, divided
    /// by the number of answered pairs — the CI is the mean over pairs of mean response × noise.
    var packWeights: [Float] {
        let answered = answerCounts.filter { $0 > 0 }.count
        guard answered > 0 else { return Array(repeating: 0, count: answerCounts.count) }
        return zip(responseSums, answerCounts).map { sum, count in
            count > 0 ? Float(Double(sum) / Double(count) / Double(answered)) : 0
        }
    }

    /// Weights of one reply's CI: its responses divided by its number of answered trials.
    func weights(replyID: Int64) -> [Float]? {
        guard let responses = responses[replyID] else { return nil }
        let answered = responses.filter { $0 != 0 }.count
        guard answered > 0 else { return Array(repeating: 0, count: responses.count) }
        return responses.map { Float($0) / Float(answered) }
    }

    func trials(replyID: Int64) -> Int {
        responses[replyID]?.filter { $0 != 0 }.count ?? 0
    }
}
