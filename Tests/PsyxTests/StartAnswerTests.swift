import Foundation
import XCTest
@testable import Psyx

/// The pre-encoded start answer: valid JSON of the exact size, every pair once with its
/// two images, a fresh order and fresh sides per render (past 64 pairs, where a new draw
/// of side bits begins).
final class StartAnswerTests: XCTestCase {
    private let pairCount = 150

    private func pack() -> Pack {
        let pairs = (1...pairCount).map { PackPair(number: $0, ori: "p\($0)_ori.jpg", inv: "p\($0)_inv.jpg") }
        return Pack(id: 7, name: "face \"pack\"", sex: 1, ageMin: 18, ageMax: 29, date: "2026-11-22T00:00:00Z", pairs: pairs)
    }

    private func decode(_ bytes: [UInt8]) throws -> (object: [String: Any], pairs: [[String]]) {
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        return (object, try XCTUnwrap(object["pic_pairs"] as? [[String]]))
    }

    func testEveryRenderHoldsEveryPairOnceWithItsTwoImages() throws {
        let answer = StartAnswer(pack: pack(), timeLimit: 1.5)
        for _ in 0..<20 {
            let (object, pairs) = try decode(answer.render())
            XCTAssertEqual(object["p_id"] as? Int, 7)
            XCTAssertEqual(object["pack_path"] as? String, "/packs/face \"pack\"")
            XCTAssertEqual(object["time_limit"] as? Double, 1.5)
            XCTAssertEqual(pairs.count, pairCount)
            let numbers = pairs.map { pair -> String in
                XCTAssertEqual(pair.count, 2)
                let stems = Set(pair.map { $0.replacingOccurrences(of: "_ori.jpg", with: "").replacingOccurrences(of: "_inv.jpg", with: "") })
                XCTAssertEqual(stems.count, 1, "both images of one pair: \(pair)")
                XCTAssertEqual(Set(pair.map { $0.hasSuffix("_ori.jpg") }), [true, false])
                return stems.first ?? ""
            }
            XCTAssertEqual(Set(numbers), Set((1...pairCount).map { "p\($0)" }), "each pair exactly once")
        }
    }

    func testOrderAndSidesChangeBetweenRendersAtEveryRank() throws {
        let answer = StartAnswer(pack: pack(), timeLimit: 2)
        var firsts = Set<String>()
        var oriLeftAtRank = [Set<Bool>](repeating: [], count: pairCount)
        for _ in 0..<40 {
            let (_, pairs) = try decode(answer.render())
            firsts.insert(pairs[0][0])
            for (rank, pair) in pairs.enumerated() { oriLeftAtRank[rank].insert(pair[0].hasSuffix("_ori.jpg")) }
        }
        XCTAssertGreaterThan(firsts.count, 10, "the first pair differs between participants")
        // 40 renders: a rank showing one side every time has odds of 2^-39.
        XCTAssertTrue(oriLeftAtRank.allSatisfy { $0 == [true, false] }, "ori on both sides at every rank, also past 64 and 128")
    }

    /// Pairs are copied in fixed 64-byte chunks when short and by `memmove` when longer: names
    /// of every length around that bound, in any order, still give exactly the pack's pairs.
    func testPairsShorterAndLongerThanOneChunkAreCopiedWhole() throws {
        let pairs = (1...90).map { number -> PackPair in
            let stem = String(repeating: "n", count: number) + "\(number)"
            return PackPair(number: number, ori: stem + "_ori.jpg", inv: stem + "_inv.jpg")
        }
        let pack = Pack(id: 3, name: "long", sex: 2, ageMin: 30, ageMax: 39, date: "2026-11-22T00:00:00Z", pairs: pairs)
        let answer = StartAnswer(pack: pack, timeLimit: 3)
        for _ in 0..<20 {
            let bytes = answer.render()
            let (object, rendered) = try decode(bytes)
            XCTAssertEqual(object["p_id"] as? Int, 3)
            let expected = Set(pairs.map { [$0.ori, $0.inv].sorted() })
            XCTAssertEqual(Set(rendered.map { $0.sorted() }), expected)
            XCTAssertEqual(rendered.count, pairs.count)
            XCTAssertEqual(bytes.last, UInt8(ascii: "}"))
        }
    }
}
