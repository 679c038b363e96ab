import FastCGI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where multipart events of a pack upload go: counted images (and a base face) to files in
/// the staging folder, text fields to a small dictionary, everything else skipped.
struct PackFileSink {
    let folder: String
    private(set) var fields: [String: String] = [:]
    /// Stored file name by pair number and side.
    private(set) var files: [PairKey: String] = [:]
    /// Base faces by stored name (`BaseFileName`); more than one is refused by `PackUpload`.
    private(set) var baseFiles: [String] = []
    private(set) var fileParts = 0
    private(set) var skippedFiles = 0
    private(set) var duplicateFile = false
    private(set) var firstInvalidImage: String?

    private enum Current {
        case none
        case field(name: String, bytes: [UInt8])
        case file(fd: Int32, name: String, head: [UInt8])
        case skipped
    }
    private var current = Current.none

    init(folder: String) { self.folder = folder }

    mutating func handle(_ event: MultipartEvent) throws {
        switch event {
        case .partBegin(let headers): try begin(headers)
        case .partData(let bytes): try append(bytes)
        case .partEnd: try end()
        }
    }

    /// Closes an image left open by an upload that failed midway.
    mutating func abandon() {
        if case .file(let fd, _, _) = current { close(fd) }
        current = .none
    }

    private mutating func begin(_ headers: PartHeaders) throws {
        guard headers.filename != nil else {
            current = .field(name: headers.name, bytes: [])
            return
        }
        guard headers.name == "file" else { current = .skipped; return }
        fileParts += 1
        if let name = headers.baseFilename.flatMap(BaseFileName.stored) {
            baseFiles.append(name)
            guard baseFiles.count == 1 else { current = .skipped; return }
            try open(name)
            return
        }
        guard let base = headers.baseFilename, let pairName = PairFileName(base) else {
            skippedFiles += 1
            current = .skipped
            return
        }
        guard pairName.isSafeFileName else {
            if firstInvalidImage == nil { firstInvalidImage = base }
            current = .skipped
            return
        }
        let key = PairKey(number: pairName.number, side: pairName.side)
        guard files[key] == nil else {
            duplicateFile = true
            current = .skipped
            return
        }
        if try open(base) { files[key] = base }
    }

    /// Starts staging file `name`; false (the part skipped) when a file of that name is staged already.
    @discardableResult
    private mutating func open(_ name: String) throws -> Bool {
        let fd = Glibc.open(folder + "/" + name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            if errno == EEXIST {
                duplicateFile = true
                current = .skipped
                return false
            }
            throw APIError.internalError(cause: "staging file: \(String(cString: strerror(errno)))")
        }
        current = .file(fd: fd, name: name, head: [])
        return true
    }

    private mutating func append(_ bytes: [UInt8]) throws {
        switch current {
        case .field(let name, var value):
            guard value.count + bytes.count <= PackForm.maxBytes(ofField: name) else {
                current = .field(name: name, bytes: Array("\u{0}".utf8))   // too long: invalid whatever it says
                return
            }
            value.append(contentsOf: bytes)
            current = .field(name: name, bytes: value)
        case .file(let fd, let name, var head):
            if head.count < ImageSignature.bytesNeeded {
                head.append(contentsOf: bytes.prefix(ImageSignature.bytesNeeded - head.count))
                current = .file(fd: fd, name: name, head: head)
            }
            guard bytes.withUnsafeBytes({ FileDescriptorIO.writeAll(fd, $0) }) else {
                throw APIError.internalError(cause: "writing staged image: \(String(cString: strerror(errno)))")
            }
        case .none, .skipped:
            break
        }
    }

    private mutating func end() throws {
        switch current {
        case .field(let name, let bytes):
            if fields[name] == nil { fields[name] = String(decoding: bytes, as: UTF8.self) }
        case .file(let fd, let name, let head):
            // Made durable all at once by StagingFolder (syncfs), not one fsync per image.
            close(fd)
            if !ImageSignature.isImage(head) && firstInvalidImage == nil { firstInvalidImage = name }
        case .none, .skipped:
            break
        }
        current = .none
    }
}
