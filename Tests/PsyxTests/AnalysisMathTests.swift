import Foundation
import XCTest
@testable import Psyx

/// The numerical kernels against plain Double loops, and the reference distribution against
/// CIs simulated pixel by pixel.
final class AnalysisMathTests: XCTestCase {
    /// 7 pairs (not a multiple of the 4-row tiles) of 30×21 pixels (not a multiple of the 512-pixel blocks).
    static func randomMatrix(pairs: Int = 7, width: Int = 30, height: Int = 21, seed: UInt64 = 1) throws -> (NoiseMatrix, [[Double]], [Double]) {
        var random = SeededGenerator(seed: seed)
        let count = width * height
        let ori = (0..<pairs).map { _ in GreyImage(width: width, height: height, pixels: (0..<count).map { _ in UInt8(random.below(256)) }) }
        let inv = (0..<pairs).map { _ in GreyImage(width: width, height: height, pixels: (0..<count).map { _ in UInt8(random.below(256)) }) }
        let rows = (0..<pairs).map { i in (0..<count).map { Double(ori[i].pixels[$0]) - Double(inv[i].pixels[$0]) } }
        let base = (0..<count).map { p in (0..<pairs).reduce(0.0) { $0 + Double(ori[$1].pixels[p]) + Double(inv[$1].pixels[p]) } / Double(2 * pairs) / 255 }
        return (try NoiseMatrix.make(ori: ori, inv: inv), rows, base)
    }

    func testMatrixBaseWeightedSumsAndGram() throws {
        let (matrix, rows, base) = try Self.randomMatrix()
        XCTAssertEqual(matrix.pairs, 7)
        for (a, b) in zip(matrix.mean, base) { XCTAssertEqual(Double(a), b, accuracy: 1e-5) }
        let weights: [Float] = [0.5, -1, 0, 0.25, 2, 0, -0.125]
        let sum = matrix.weightedSum(weights)
        for pixel in 0..<(30 * 21) {
            let expected = rows.indices.reduce(0.0) { $0 + Double(weights[$1]) * rows[$1][pixel] }
            XCTAssertEqual(Double(sum[pixel]), expected, accuracy: 1e-3)
        }
        let sets: [[Float]] = [weights, [1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0]]
        let maxima = matrix.maxAbsoluteWeightedSums(sets)
        for (set, maximum) in zip(sets, maxima) {
            let expected = CIScaling.largestMagnitude(matrix.weightedSum(set))
            XCTAssertEqual(maximum, expected, accuracy: 1e-3)
        }
        let gram = matrix.gram()
        for i in 0..<7 {
            for k in 0..<7 {
                let expected = zip(rows[i], rows[k]).reduce(0.0) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(gram[i * 7 + k], expected, accuracy: abs(expected) * 1e-6 + 1e-3, "G[\(i)][\(k)]")
            }
        }
    }

    /// The Gram trick: a reply's norm from G equals the norm of its CI computed over the pixels.
    func testNormFromGramEqualsPixelNorm() throws {
        let (matrix, _, _) = try Self.randomMatrix(pairs: 9, width: 12, height: 10, seed: 3)
        let gram = GramMatrix(matrix)
        let reference = ReferenceNorms(gram: gram, iterations: 200)
        let responses: [Int8] = [1, -1, 0, 1, 1, -1, 0, -1, 1]
        let ci = matrix.weightedSum(responses.map { Float($0) / 7 })
        let pixelNorm = ci.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        XCTAssertEqual(reference.norm(responses: responses, gram: gram) * reference.scale.squareRoot(), pixelNorm, accuracy: pixelNorm * 1e-5)
        XCTAssertEqual(reference.norm(responses: Array(repeating: 0, count: 9), gram: gram), 0)
        XCTAssertNil(reference.infoVal(norm: 1, trials: 0))
        XCTAssertNil(reference.infoVal(norm: 1, trials: 10))
    }

    /// The reference distribution for all trials matches CIs of random responses simulated over the
    /// pixels; and it is the same on every run.
    func testReferenceMatchesPixelSimulationAndIsReproducible() throws {
        let (matrix, _, _) = try Self.randomMatrix(pairs: 16, width: 10, height: 10, seed: 5)
        let gram = GramMatrix(matrix)
        let reference = ReferenceNorms(gram: gram, iterations: 4_000, seed: 42)
        var random = SeededGenerator(seed: 77)
        var direct: [Float] = (0..<1_500).map { _ in
            let ci = matrix.weightedSum((0..<16).map { _ in random.below(2) == 0 ? Float(1) / 16 : -Float(1) / 16 })
            return Float(ci.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() / reference.scale.squareRoot())
        }
        let (median, mad) = RobustStatistics.medianAndMAD(&direct)
        let summary = reference.summaries[15]
        XCTAssertEqual(summary.median, median, accuracy: median * 0.03)
        XCTAssertEqual(summary.mad, mad, accuracy: mad * 0.15)
        // Fewer trials: larger norms under random responding.
        XCTAssertGreaterThan(reference.summaries[7].median, summary.median)

        let again = ReferenceNorms(gram: gram, iterations: 4_000, seed: 42)
        XCTAssertEqual(again.summaries.map(\.median), reference.summaries.map(\.median))
        XCTAssertEqual(again.summaries.map(\.mad), reference.summaries.map(\.mad))
        let other = ReferenceNorms(gram: gram, iterations: 4_000, seed: 43)
        XCTAssertNotEqual(other.summaries.map(\.median), reference.summaries.map(\.median))
    }

    func testMedianAndMADAsR() {
        var random = SeededGenerator(seed: 8)
        for count in [1, 2, 3, 10, 11, 101, 1_000] {
            let values = (0..<count).map { _ in Float(random.below(50)) / 7 }
            let sorted = values.sorted()
            let median = count % 2 == 1 ? Double(sorted[count / 2]) : (Double(sorted[count / 2 - 1]) + Double(sorted[count / 2])) / 2
            let deviations = values.map { abs(Double($0) - median) }.sorted()
            let mad = 1.4826 * (count % 2 == 1 ? deviations[count / 2] : (deviations[count / 2 - 1] + deviations[count / 2]) / 2)
            var copy = values
            let result = RobustStatistics.medianAndMAD(&copy)
            XCTAssertEqual(result.median, median, accuracy: 1e-6, "\(count)")
            XCTAssertEqual(result.mad, mad, accuracy: 1e-5, "\(count)")
        }
    }

    func testGramFileRoundTripAndDamage() throws {
        let (matrix, _, _) = try Self.randomMatrix(pairs: 5, width: 6, height: 4, seed: 9)
        let gram = GramMatrix(matrix)
        let bytes = gram.encoded()
        XCTAssertEqual(GramMatrix.decode(bytes, pairs: 5), gram)
        XCTAssertNil(GramMatrix.decode(bytes, pairs: 6))
        XCTAssertNil(GramMatrix.decode(Array(bytes.dropLast()), pairs: 5))
        var flipped = bytes
        flipped[40] ^= 1
        XCTAssertNil(GramMatrix.decode(flipped, pairs: 5))
        XCTAssertNil(GramMatrix.decode([], pairs: 0))
    }

    /// Running sums: replies added one by one give the weights of the rcicr group CI.
    func testTallyRunningSums() {
        let pack = Pack(id: 1, name: "p", sex: 1, ageMin: 1, ageMax: 2, date: "",
                        pairs: (1...3).map { PackPair(number: $0, ori: "a_0000\($0)_ori.jpg", inv: "a_0000\($0)_inv.jpg") })
        var tally = PackTally(pack: pack)
        tally.add(replyID: 4, answers: #"[["F",0.5,"a_00001_ori.jpg","a_00001_inv.jpg"],["j",0.5,"a_00002_ori.jpg","a_00002_inv.jpg"],[" ",3,"a_00003_inv.jpg","a_00003_ori.jpg"]]"#, layout: .leftRight)
        tally.add(replyID: 9, answers: #"[["J",0.5,"a_00001_ori.jpg","a_00001_inv.jpg"],["J",0.5,"a_00003_inv.jpg","a_00003_ori.jpg"],["F",1,"a_00002_ori.jpg","a_00002_inv.jpg"]]"#, layout: .leftRight)
        tally.add(replyID: 4, answers: #"[["J",0.5,"a_00001_ori.jpg","a_00001_inv.jpg"]]"#, layout: .leftRight)  // again: ignored
        tally.add(replyID: 12, answers: "not json", layout: .leftRight)
        XCTAssertEqual(tally.replyIDs, [4, 9, 12])
        XCTAssertEqual(tally.responses[4], [1, -1, 0])
        XCTAssertEqual(tally.responses[9], [-1, 1, 1])
        XCTAssertEqual(tally.responses[12], [0, 0, 0])
        XCTAssertEqual(tally.responseSums, [0, 0, 1])
        XCTAssertEqual(tally.answerCounts, [2, 2, 1])
        XCTAssertEqual(tally.packWeights, [0, 0, Float(1) / 3])
        XCTAssertEqual(tally.weights(replyID: 4), [0.5, -0.5, 0])
        XCTAssertEqual(tally.weights(replyID: 12), [0, 0, 0])
        XCTAssertNil(tally.weights(replyID: 5))
        XCTAssertEqual(tally.trials(replyID: 9), 3)
    }

    /// The original client's arrays show element 4 on the left: the same bytes give the opposite
    /// responses when stored with its layout, so the CI and infoVal follow what was on screen.
    func testTallyReadsEachReplyWithItsLayout() {
        let pack = Pack(id: 1, name: "p", sex: 1, ageMin: 1, ageMax: 2, date: "",
                        pairs: (1...3).map { PackPair(number: $0, ori: "a_0000\($0)_ori.jpg", inv: "a_0000\($0)_inv.jpg") })
        let answers = #"[["F",0.5,"a_00001_ori.jpg","a_00001_inv.jpg"],["J",0.5,"a_00002_ori.jpg","a_00002_inv.jpg"],[" ",3,"a_00003_inv.jpg","a_00003_ori.jpg"]]"#
        var tally = PackTally(pack: pack)
        tally.add(replyID: 1, answers: answers, layout: .leftRight)
        tally.add(replyID: 2, answers: answers, layout: .rightLeft)
        XCTAssertEqual(tally.responses[1], [1, -1, 0])
        XCTAssertEqual(tally.responses[2], [-1, 1, 0], "F chose element 4 (left), J element 3 (right)")
        XCTAssertEqual(tally.responseSums, [0, 0, 0])
    }
}
