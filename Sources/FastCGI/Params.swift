#if canImport(Glibc)
import Glibc
#endif

/// The CGI/1.1 variables of one request, kept as the bytes the web server sent.
///
/// Nginx sends some thirty of them and a handler reads a handful, so instead of
/// building thirty Strings and hashing them into a dictionary on every request,
/// a lookup compares names as bytes and only the values read become Strings.
/// Values are read as UTF-8 (invalid sequences become U+FFFD); when a name is
/// sent twice, the last value wins.
public struct Params: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    private var bytes: [UInt8]
    private var entries: [(name: Range<Int>, value: Range<Int>)]

    /// Builds on the raw PARAMS stream; `NameValuePairs.decodeParams` checks it first.
    init(bytes: [UInt8], ranges: [(name: Range<Int>, value: Range<Int>)]) {
        self.bytes = bytes
        entries = ranges
    }

    public init(_ pairs: [(name: String, value: String)]) {
        var bytes: [UInt8] = []
        var ranges: [(name: Range<Int>, value: Range<Int>)] = []
        for pair in pairs {
            let nameStart = bytes.count
            bytes.append(contentsOf: pair.name.utf8)
            let valueStart = bytes.count
            bytes.append(contentsOf: pair.value.utf8)
            ranges.append((nameStart..<valueStart, valueStart..<bytes.count))
        }
        self.init(bytes: bytes, ranges: ranges)
    }

    public init(_ dictionary: [String: String]) {
        self.init(dictionary.map { (name: $0.key, value: $0.value) })
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements.map { (name: $0.0, value: $0.1) })
    }

    /// The value sent for `name`, or nil.
    public subscript(name: String) -> String? {
        var name = name
        return name.withUTF8 { wanted -> String? in
            guard let index = lastIndex(of: wanted) else { return nil }
            return String(decoding: bytes[entries[index].value], as: UTF8.self)
        }
    }

    /// How many pairs were sent (a repeated name counts each time).
    public var count: Int { entries.count }

    /// Every variable as a dictionary (the last value of a repeated name), for tests and diagnostics.
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        for entry in entries {
            result[String(decoding: bytes[entry.name], as: UTF8.self)] = String(decoding: bytes[entry.value], as: UTF8.self)
        }
        return result
    }

    public static func == (left: Params, right: Params) -> Bool {
        left.dictionary == right.dictionary
    }

    private func lastIndex(of wanted: UnsafeBufferPointer<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress, let wantedBase = wanted.baseAddress else {
                return entries.lastIndex { $0.name.count == wanted.count }
            }
            for index in entries.indices.reversed() {
                let range = entries[index].name
                if range.count == wanted.count, memcmp(base + range.lowerBound, wantedBase, range.count) == 0 { return index }
            }
            return nil
        }
    }
}
