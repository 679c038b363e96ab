import FastCGI

/// One pack upload in progress: the body's bytes go through the multipart parser
/// into the staging folder as they arrive — straight from Nginx's STDIN records
/// (a `BodyReceiver`, so the body is never spooled, read back and synced twice)
/// or read back from a spooled body — and `finish` checks what was staged.
///
/// Released unfinished (aborted, refused by the server, failed), it leaves
/// nothing behind: its open image is closed and its staging folder removed.
/// Used on one connection's thread only, hence `@unchecked Sendable`.
final class PackUploadStream: BodyReceiver, @unchecked Sendable {
    private let upload: PackUpload
    private var folder: StagingFolder?
    private var sink: PackFileSink
    private var parser: MultipartParser
    /// The first error; later bytes are ignored and `finish` throws it.
    private var failure: (any Error)?

    /// Throws "Nothing Uploaded" for a body that is not multipart, before anything is staged.
    init(upload: PackUpload, contentType: String) throws {
        guard let boundary = MultipartParser.boundary(fromContentType: contentType) else {
            throw APIError.badRequest("Nothing Uploaded")
        }
        let folder = try StagingFolder(inside: upload.stagingRoot)
        self.upload = upload
        self.folder = folder
        sink = PackFileSink(folder: folder.path)
        parser = MultipartParser(boundary: boundary)
    }

    deinit { sink.abandon() }

    func receive(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        do {
            for event in try parser.feed(bytes) { try sink.handle(event) }
        } catch {
            failure = error
            discard()
        }
    }

    /// The staged pack once the whole body has been received, checked in the spec's order (§3.1).
    func finish() throws -> PackUpload.Staged {
        do {
            if let failure { throw failure }
            try parser.finish()
            guard let folder else { throw APIError.internalError(cause: "upload finished twice") }
            let staged = try upload.check(sink, folder: folder)
            self.folder = nil   // the caller owns the staged folder now
            return staged
        } catch {
            discard()
            throw Self.apiError(error)
        }
    }

    /// Closes the open image and removes the staging folder now, not whenever this is released.
    private func discard() {
        sink.abandon()
        folder = nil
    }

    private static func apiError(_ error: any Error) -> any Error {
        switch error {
        case let error as MultipartError: APIError.badRequest("Malformed Upload: \(describe(error))")
        default: error
        }
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
