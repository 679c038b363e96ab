import Foundation
@testable import Psyx

/// `JSONParser` on the raw input: it never crashes (the fuzzer's job), and when
/// `JSONSerialization` accepts the same bytes too, both decode the same value
/// (numbers to within rounding: JSONSerialization turns long ones into decimals).
func checkParser(_ body: [UInt8]) {
    guard let ours = try? JSONParser.parse(body),
          let foundation = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    else { return }
    require(agrees(ours, foundation), "JSONParser and JSONSerialization decode the same bytes differently")
}

private let booleanClass = ObjectIdentifier(type(of: NSNumber(value: true)))

private func agrees(_ value: JSONValue, _ foundation: Any) -> Bool {
    switch value {
    case .null: return foundation is NSNull
    case .bool(let flag):
        guard let number = foundation as? NSNumber, ObjectIdentifier(type(of: number)) == booleanClass else { return false }
        return number.boolValue == flag
    case .number(let number):
        guard let other = foundation as? NSNumber, ObjectIdentifier(type(of: other)) != booleanClass else { return false }
        let theirs = other.doubleValue
        return number.value == theirs || abs(number.value - theirs) <= abs(number.value) * 1e-14
    case .string(let text): return (foundation as? String) == text
    case .array(let elements):
        guard let others = foundation as? [Any], others.count == elements.count else { return false }
        return zip(elements, others).allSatisfy { agrees($0, $1) }
    case .object(let members):
        guard let others = foundation as? [String: Any], others.count == members.count else { return false }
        return members.allSatisfy { key, member in others[key].map { agrees(member, $0) } ?? false }
    }
}
