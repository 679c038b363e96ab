import FastCGI
import Foundation

/// `GET /packs/<name>/<file>` on PostgreSQL: what Nginx asks when this node's `packs/` lacks the
/// file (`try_files $uri @psyx_pack`). The pack's folder is copied from the database first, then
/// the file is answered from it; Nginx serves the pack's other images from the folder itself.
extension ExperimentRoutes {
    func registerPackCopies(in router: inout Router) {
        guard let packCopies else { return }
        router.addFolder(Route(["GET"], "/packs/") { try packFile($0, copies: packCopies) })
    }

    func packFile(_ request: HTTPRequest, copies: PackCopies) throws -> Response {
        let parts = request.path.dropFirst("/packs/".count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }) else { throw APIError.notFound }
        let name = String(parts[0]), file = String(parts[1])
        guard let pack = try store.packSummaries().first(where: { $0.name == name }) else { throw APIError.notFound }
        let folder = try copies.ensure(id: pack.id, name: name)
        guard let data = FileManager.default.contents(atPath: folder + "/" + file) else { throw APIError.notFound }
        return Response(status: 200, headers: [("Content-Type", Self.imageType(of: file))], body: .bytes([UInt8](data)))
    }

    static func imageType(of file: String) -> String {
        switch (file as NSString).pathExtension.lowercased() {
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        case "gif": "image/gif"
        case "webp": "image/webp"
        default: "application/octet-stream"
        }
    }
}
