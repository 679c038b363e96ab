import FastCGI
@testable import Psyx

/// Fuzzes query strings: `QueryString.parse` and the way `HTTPRequest` takes the
/// path and query from the params Nginx sends (REQUEST_URI, QUERY_STRING).
///
/// Beyond "no crash": one leading `?` is ignored and nothing else differs from
/// form parsing; parsing what the fields encode to gives the same fields; a
/// request's query is the parse of its QUERY_STRING, and its path, taken from
/// REQUEST_URI when there is no DOCUMENT_URI, is the part before the first `?`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let query = String(decoding: fuzzInput(data, size), as: UTF8.self)
    let fields = QueryString.parse(query)

    let withoutMark = query.utf8.first == UInt8(ascii: "?") ? Array(query.utf8.dropFirst()) : Array(query.utf8)
    require(fields == FormURLEncoded.parse(withoutMark), "query parsing differs from form parsing")
    require(QueryString.parse("?" + query) == FormURLEncoded.parse(Array(query.utf8)), "a leading ? was not ignored")
    require(QueryString.parse(String(decoding: FormEncoder.encode(fields), as: UTF8.self)) == fields,
            "parse(encode(fields)) differs from fields")

    let request = HTTPRequest(Request(params: [
        "REQUEST_METHOD": "GET", "REQUEST_URI": "/api/admin/download?" + query, "QUERY_STRING": query,
    ]), id: "fuzz")
    require(request.query == fields, "HTTPRequest.query differs from QueryString.parse(QUERY_STRING)")
    require(request.path == "/api/admin/download", "HTTPRequest.path kept part of the query")

    let bare = HTTPRequest(Request(params: ["REQUEST_URI": query, "DOCUMENT_URI": ""]), id: "fuzz")
    let question = UInt8(ascii: "?")
    require(Array(bare.path.utf8) == Array(query.utf8.prefix { $0 != question }),
            "path is not the part of REQUEST_URI before the first ?")
    require(bare.query.isEmpty && bare.method == "GET", "a request without QUERY_STRING has a query")
    return 0
}
