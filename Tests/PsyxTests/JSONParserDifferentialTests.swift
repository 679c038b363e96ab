import Foundation
import XCTest
@testable import Psyx

/// `JSONParser` against `JSONSerialization` on generated documents: where both
/// accept, the values agree; where they differ on acceptance, it is one of the
/// documented differences (JSONSerialization's trailing commas).
final class JSONParserDifferentialTests: XCTestCase {
    /// The class `NSNumber` uses for booleans on Linux.
    private static let booleanClass = ObjectIdentifier(type(of: NSNumber(value: true)))

    private func value(fromFoundation any: Any) -> JSONValue? {
        switch any {
        case is NSNull: return .null
        case let text as String: return .string(text)
        case let number as NSNumber:
            if ObjectIdentifier(type(of: number)) == Self.booleanClass { return .bool(number.boolValue) }
            return .number(number.doubleValue)
        case let elements as [Any]:
            var values: [JSONValue] = []
            for element in elements {
                guard let value = value(fromFoundation: element) else { return nil }
                values.append(value)
            }
            return .array(values)
        case let members as [String: Any]:
            var values: [String: JSONValue] = [:]
            for (key, member) in members {
                guard let value = value(fromFoundation: member) else { return nil }
                values[key] = value
            }
            return .object(values)
        default: return nil
        }
    }

    private struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }

        mutating func space() -> String { ["", " ", "\n", "\t ", "\r\n"][next(5)] }

        mutating func number() -> String {
            var text = next(3) == 0 ? "-" : ""
            text += next(4) == 0 ? "0" : String(1 + next(9)) + String(repeating: String(next(10)), count: next(6))
            if next(2) == 0 { text += "." + String(next(1_000_000)) }
            if next(3) == 0 { text += ["e", "E", "e+", "e-"][next(4)] + String(next(40)) }
            return text
        }

        mutating func string() -> String {
            let pieces = ["a", "홍길동", "😀", #"\""#, #"\\"#, #"\/"#, #"\n"#, #"\t"#, #"\u00e9"#, #"\ud83d\ude00"#,
                          #"\uAC00"#, "x_00001_ori.jpg", " ", "é", #"\u0000"#]
            return "\"" + (0..<next(5)).map { _ in pieces[next(pieces.count)] }.joined() + "\""
        }

        mutating func document(depth: Int) -> String {
            switch next(depth > 4 ? 5 : 7) {
            case 0: return ["null", "true", "false"][next(3)]
            case 1, 2: return number()
            case 3, 4: return string()
            case 5:
                return "[" + (0..<next(5)).map { _ in space() + document(depth: depth + 1) + space() }.joined(separator: ",") + "]"
            default:
                return "{" + (0..<next(5)).map { _ in space() + string() + space() + ":" + space() + document(depth: depth + 1) }
                    .joined(separator: ",") + "}"
            }
        }
    }

    func testAgreesWithJSONSerializationOnGeneratedDocuments() throws {
        var generator = Generator(state: 0x5EED)
        var compared = 0
        for round in 0..<600 {
            var text = generator.space() + generator.document(depth: 0) + generator.space()
            if round % 10 == 9 { text.insert(",", at: text.index(text.startIndex, offsetBy: generator.next(text.count))) }
            let ours = try? JSONParser.parse(Array(text.utf8))
            let theirs = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
                .flatMap { value(fromFoundation: $0) }
            switch (ours, theirs) {
            case let (ours?, theirs?):
                XCTAssertEqual(ours, theirs, text)
                compared += 1
            case (nil, nil): break
            case (_?, nil): XCTFail("only JSONParser accepts \(text)")
            case (nil, _?): XCTAssertTrue(text.contains(","), "only JSONSerialization accepts \(text)")
            }
        }
        XCTAssertGreaterThan(compared, 400)
    }
}
