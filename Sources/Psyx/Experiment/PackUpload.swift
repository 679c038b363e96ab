import FastCGI
#if canImport(Glibc)
import Glibc
#endif

/// Streams a create request's multipart body into a staging folder, then checks
/// it in the spec's order (§3.1). Memory stays flat whatever the upload's size.
struct PackUpload {
    let stagingRoot: String
    let packSize: Int
    /// Whether a pack of that name exists, so "Pack Existed" comes before the folder checks (spec order).
    let isNameTaken: (String) throws -> Bool

    struct Staged {
        var form: PackForm.Valid
        var pairs: [PackPair]
        var folder: StagingFolder
        var skippedFiles: Int
    }

    func receive(_ request: HTTPRequest) throws -> Staged {
        guard let boundary = MultipartParser.boundary(fromContentType: request.contentType) else {
            throw APIError.badRequest("Nothing Uploaded")
        }
        let folder = try StagingFolder(inside: stagingRoot)
        var sink = PackFileSink(folder: folder.path)
        var parser = MultipartParser(boundary: boundary)
        do {
            try request.body.forEachChunk(size: 256 * 1024) { chunk in
                let events = try chunk.withUnsafeBytes { try parser.feed($0) }
                for event in events { try sink.handle(event) }
            }
            try parser.finish()
        } catch {
            sink.abandon()
            switch error {
            case let error as MultipartError: throw APIError.badRequest("Malformed Upload: \(Self.describe(error))")
            case let error as RequestBodyError: throw APIError.internalError(cause: "reading request body: \(error)")
            default: throw error
            }
        }
        return try check(sink, folder: folder)
    }

    private func check(_ sink: PackFileSink, folder: StagingFolder) throws -> Staged {
        guard sink.fileParts > 0 else { throw APIError.badRequest("Nothing Uploaded") }
        var form = PackForm()
        form.fields = sink.fields
        let valid = try form.validated()
        // Checked again, with the overlap, by the store inside its transaction.
        if try isNameTaken(valid.name) { throw APIError.badRequest("Pack Existed") }
        guard !sink.duplicateFile, sink.files.count == packSize * 2 else { throw APIError.badRequest("Invalid Folder Size") }
        var pairs: [PackPair] = []
        pairs.reserveCapacity(packSize)
        for number in 1...packSize {
            guard let ori = sink.files[PairKey(number: number, side: .ori)],
                  let inv = sink.files[PairKey(number: number, side: .inv)] else {
                throw APIError.badRequest("Invalid Folder Size")
            }
            pairs.append(PackPair(number: number, ori: ori, inv: inv))
        }
        if let invalid = sink.firstInvalidImage { throw APIError.badRequest("Invalid Image: \(invalid)") }
        return Staged(form: valid, pairs: pairs, folder: folder, skippedFiles: sink.skippedFiles)
    }

    private static func describe(_ error: MultipartError) -> String {
        switch error {
        case .missingFinalBoundary: "the body ends before its final boundary"
        case .malformedHeaders: "a part's headers cannot be read"
        case .headerTooLarge: "a part's headers are too large"
        case .tooManyParts: "too many parts"
        case .missingContentDisposition: "a part has no Content-Disposition"
        case .malformedBoundaryLine: "a boundary line is malformed"
        }
    }
}

struct PairKey: Hashable {
    var number: Int
    var side: PairFileName.Side
}
