import FastCGI

/// Fuzzes what a web server's bytes go through: `RecordDecoder`, then
/// `RequestAssembler` driven as `Connection` drives it, and `NameValuePairs`.
///
/// Beyond "no crash": records do not depend on how the bytes were cut; the
/// decoder never holds a whole undelivered record; the assembler's actions obey
/// the protocol (`AssemblerChecker`); name-value pairs survive encode/decode.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    var random = SplitMix64(hashing: input)

    let whole = DecodedStream(input, pieces: [0..<input.count])
    let cut = DecodedStream(input, pieces: random.pieces(of: input.count, cuts: Int.random(in: 1...8, using: &random)))
    require(whole == cut, "records depend on how the bytes were cut")
    if input.count <= 512 {
        let bytewise = DecodedStream(input, pieces: (0..<input.count).map { $0..<($0 + 1) })
        require(whole == bytewise, "records differ when fed one byte at a time")
    }

    var checker = AssemblerChecker()
    for record in whole.records {
        checker.receive(record)
    }

    if let pairs = try? NameValuePairs.decode(input) {
        let again = try? NameValuePairs.decode(NameValuePairs.encode(pairs))
        require(again.map { $0.map { [$0.name, $0.value] } } == pairs.map { [$0.name, $0.value] },
                "name-value pairs changed through encode and decode")
    }
    return 0
}

/// The records a decoder returns for some bytes fed in given pieces, and how it stopped.
struct DecodedStream: Equatable {
    var records: [Record] = []
    var error: FastCGIError?
    var leftover = 0

    /// Largest record on the wire: header, 65535 content bytes, 255 padding bytes.
    static let largestRecord = Record.headerLength + Record.maxContentLength + 255

    init(_ bytes: [UInt8], pieces: [Range<Int>]) {
        var decoder = RecordDecoder()
        for piece in pieces {
            decoder.append(Array(bytes[piece]))
            // After an error the connection would close; the rest is still
            // appended so that `leftover` does not depend on where the cuts fell.
            guard error == nil else { continue }
            do {
                while let record = try decoder.next() {
                    require(record.content.count <= Record.maxContentLength, "record content over 65535 bytes")
                    records.append(record)
                }
                require(decoder.bufferedByteCount < Self.largestRecord, "decoder holds a complete record it did not return")
            } catch let error as FastCGIError {
                self.error = error
            } catch {
                require(false, "decoder threw \(type(of: error)), not FastCGIError")
            }
        }
        if let error {
            // The offending bytes stay: asking again fails again.
            do {
                _ = try decoder.next()
                require(false, "decoder recovered after \(error)")
            } catch {}
        }
        leftover = decoder.bufferedByteCount
    }
}
