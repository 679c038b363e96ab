import FastCGI
#if canImport(Glibc)
import Glibc
#endif

/// A create request's multipart body staged (by `PackUploadStream`) and checked
/// in the spec's order (§3.1). Memory stays flat whatever the upload's size.
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
        /// The base face's stored name, when the upload has one.
        var base: String?
        /// From the form's settings fields (PackSettings.md); the defaults when it has none.
        var settings: PackSettings = .default
    }

    /// The staged pack: from the `PackUploadStream` that took the body as it arrived, or else
    /// by reading the collected body through a new one.
    func receive(_ request: HTTPRequest) throws -> Staged {
        if let stream = request.body.receiver as? PackUploadStream { return try stream.finish() }
        let stream = try PackUploadStream(upload: self, contentType: request.contentType)
        do {
            try request.body.forEachChunk(size: 256 * 1024) { chunk in
                chunk.withUnsafeBytes { stream.receive($0) }
            }
        } catch {
            throw APIError.internalError(cause: "reading request body: \(error)")
        }
        return try stream.finish()
    }

    /// The spec's sentence first (clients match it), then what a pack needs.
    var folderSize: APIError {
        .badRequest("Invalid Folder Size: a pack needs \(packSize) pairs (\(packSize * 2) images)")
    }

    /// Checks a completely received upload (after the multipart body ended cleanly).
    func check(_ sink: PackFileSink, folder: StagingFolder) throws -> Staged {
        guard sink.fileParts > 0 else { throw APIError.badRequest("Nothing Uploaded") }
        var form = PackForm()
        form.fields = sink.fields
        let valid = try form.validated()
        // Checked again, with the overlap, by the store inside its transaction.
        if try isNameTaken(valid.name) { throw APIError.badRequest("Pack Existed") }
        guard !sink.duplicateFile, sink.files.count == packSize * 2 else { throw folderSize }
        var pairs: [PackPair] = []
        pairs.reserveCapacity(packSize)
        for number in 1...packSize {
            guard let ori = sink.files[PairKey(number: number, side: .ori)],
                  let inv = sink.files[PairKey(number: number, side: .inv)] else {
                throw folderSize
            }
            pairs.append(PackPair(number: number, ori: ori, inv: inv))
        }
        if let invalid = sink.firstInvalidImage { throw APIError.badRequest("Invalid Image: \(invalid)") }
        let base = try checkBase(sink.baseFiles, folder: folder.path, pairs: pairs)
        // After the spec's checks, before anything is kept (a refusal discards the staged folder).
        let settings = try PackSettingsChange(fields: sink.fields).applied(to: .default)
        return Staged(form: valid, pairs: pairs, folder: folder, skippedFiles: sink.skippedFiles, base: base, settings: settings)
    }
}

struct PairKey: Hashable {
    var number: Int
    var side: PairFileName.Side
}
