@testable import Psyx

/// Fuzzes `FormURLEncoded.parse` (bodies of `application/x-www-form-urlencoded` POSTs).
///
/// Beyond "no crash": parsing what the fields encode to gives the same fields
/// (so parse is stable under encode); empty pairs around the input change
/// nothing; a repeated name never overrides the first value; the String
/// overload agrees on valid UTF-8; percent-decoding never grows its input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let fields = FormURLEncoded.parse(input)

    require(FormURLEncoded.parse(FormEncoder.encode(fields)) == fields, "parse(encode(fields)) differs from fields")
    let ampersand = UInt8(ascii: "&")
    require(FormURLEncoded.parse([ampersand] + input + [ampersand, ampersand]) == fields, "empty pairs changed the fields")

    for name in fields.keys.sorted().prefix(4) {
        var appended = input + [ampersand]
        FormEncoder.append(name, to: &appended)
        appended += Array("=overridden".utf8)
        require(FormURLEncoded.parse(appended)[name] == fields[name], "a repeated name overrode the first value")
    }

    if let text = String(validating: input, as: UTF8.self) {
        require(FormURLEncoded.parse(text) == fields, "String and byte parsing disagree")
    }
    require(PercentDecoding.decode(input, plusIsSpace: true).count <= input.count, "decoding grew the input")
    return 0
}
