import FastCGI

/// The analysis API behind basic auth: classification images as PNG, infoVal as JSON or CSV.
struct AnalysisRoutes: Sendable {
    let service: AnalysisService

    func register(in router: inout Router) {
        router.add(Route(["GET"], "/api/admin/ci", access: .admin) { try ci($0) })
        router.add(Route(["GET"], "/api/admin/infoval", access: .admin) { try infoVal($0) })
    }

    /// `GET /api/admin/ci?id=N[&r_id=M][&scaling=independent|autoscale][&size=S]` → image/png; the
    /// `X-Psyx-CI-Base` header says which base face it is laid over (`uploaded base.png`, `recovered`).
    func ci(_ request: HTTPRequest) throws -> Response {
        let packID = try Self.packID(request)
        var replyID: Int64?
        if let raw = request.query["r_id"] {
            guard let id = Int64(raw), id > 0 else { throw APIError.badRequest(ExperimentRoutes.sentence("Unknown Reply", raw)) }
            replyID = id
        }
        let scaling = try Self.scaling(request.query["scaling"])
        var size: Int?
        if let raw = request.query["size"] {
            guard let value = Int(raw), (8...4096).contains(value) else { throw APIError.badRequest("Invalid Size") }
            size = value
        }
        let picture = try Self.analysing(packID) { try service.ciPNG(packID: packID, replyID: replyID, scaling: scaling, size: size) }
        return Response(status: 200, headers: [("Content-Type", "image/png"), ("X-Psyx-CI-Base", picture.base)],
                        body: .bytes(picture.png))
    }

    /// `GET /api/admin/infoval?id=N[&format=csv]` → `[{"r_id", "infoval", "trials"}]` by r_id.
    func infoVal(_ request: HTTPRequest) throws -> Response {
        let packID = try Self.packID(request)
        let rows = try Self.analysing(packID) { try service.infoVals(packID: packID) }
        if request.query["format"]?.lowercased() == "csv" {
            return Response(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8"),
                                                   ("Content-Disposition", "attachment; filename=\"\(packID)-infoval.csv\"")],
                            body: .bytes(InfoValExport.csv(rows)))
        }
        return .json(InfoValExport.json(rows))
    }

    static func packID(_ request: HTTPRequest) throws -> Int64 {
        let raw = request.query["id"] ?? ""
        guard let id = Int64(raw), id > 0 else { throw APIError.badRequest(ExperimentRoutes.sentence("Pack", raw, "Not Found")) }
        return id
    }

    static func scaling(_ raw: String?) throws -> CIScaling {
        guard let raw else { return .independent }
        guard let scaling = CIScaling(rawValue: raw.lowercased()) else { throw APIError.badRequest("Invalid Scaling") }
        return scaling
    }

    /// A pack whose files cannot be analysed is the server's problem: a 500 whose log line names the file.
    static func analysing<T>(_ packID: Int64, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as AnalysisError {
            throw APIError.internalError(cause: "analysis of pack \(packID): \(error)")
        }
    }
}
