import FastCGI
import Foundation

/// The experiment service's routes (spec §3.1 admin, §3.2 participants).
struct ExperimentRoutes: Sendable {
    let store: any ExperimentStore
    let data: DataDirectory
    let packSize: Int
    let timeLimit: Double
    let log: RequestLog
    let startAnswers = PerPackCache<StartAnswer>()
    let packFiles = PerPackCache<PackFiles>()
    let csvNames = PerPackCache<CSVNameTable>(limit: 8)
    /// `/api/admin/list`'s answer while nothing is committed (it costs ~1.6 ms of CPU with 1,000 packs).
    let listAnswer = VersionedAnswer()
    /// Downloads streaming at once: memory stays flat however many admins (or scripts) download.
    let downloads = DownloadGate(limit: DownloadGate.defaultLimit)
    /// Refuses uploads while the data directory is low on space; nil: never.
    var diskGuard: DiskSpaceGuard?
    /// This node's copies of packs the database keeps (PostgreSQL); nil on SQLite.
    var packCopies: PackCopies?
    /// Participant numbers held at start (`ExperimentRoutes+Hold`); nil: no holds (unit tests' routes).
    var holds: (any StartHolds)?
    /// `--hold-seconds`: every hold's length instead of the pack's own (`holdSeconds(for:)`).
    var fixedHoldSeconds: Double?

    func register(in router: inout Router) {
        router.add(Route(["GET"], "/api/admin/list", access: .admin, answersInline: true) { _ in try list() })
        // The one route whose body may be large (PSYX_MAX_BODY); refused before it writes while the disk is low.
        var createRoute = Route(["POST"], "/api/admin/create", access: .admin, changesState: true, maxBodyBytes: nil) { try create($0) }
        createRoute.bodyReceiver = { request in try? PackUploadStream(upload: upload(), contentType: request.contentType) }
        if let diskGuard { createRoute.beforeBody = { () throws(APIError) in try diskGuard.checkRoomForUpload() } }
        router.add(createRoute)
        router.add(Route(["GET", "POST"], "/api/admin/remove", access: .admin, changesState: true) { try remove($0) })
        router.add(Route(["POST"], "/api/admin/close", access: .admin, changesState: true) { try setOpen($0, open: false) })
        router.add(Route(["POST"], "/api/admin/open", access: .admin, changesState: true) { try setOpen($0, open: true) })
        router.add(Route(["POST"], "/api/admin/settings", access: .admin, changesState: true,
                         maxBodyBytes: Self.maxSettingsBody) { try setSettings($0) })
        router.add(Route(["POST"], "/api/admin/withdraw", access: .admin, changesState: true) { try withdraw($0) })
        router.add(Route(["POST"], "/api/admin/withdraw/preview", access: .admin) { try withdrawalPreview($0) })
        router.add(Route(["GET"], "/api/admin/download", access: .admin) { try download($0) })
        router.add(Route(["GET"], "/api/admin/config", access: .admin, answersInline: true) { _ in config() })
        // Start reads only caches (packs, the participant index) after their first load; a hold
        // that needs PostgreSQL is finished on a worker thread (`ExperimentRoutes+Hold`).
        router.add(Route(["POST"], "/api/reply/start", answersInline: true, maxBodyBytes: Self.maxStartBody) { try start($0) })
        router.add(Route(["POST"], "/api/reply/submit", maxBodyBytes: Self.maxSubmitBody) { try submit($0) })
        router.add(Route(["GET"], "/api/reply/pack", answersInline: true) { try packView($0) })
        router.add(Route(["GET"], "/api/reply/completion") { try completion($0) })
        registerPackCopies(in: &router)
    }

    /// The list's bytes are reused until the store's data version changes (any commit, from any
    /// process); the version is read before the packs, as `VersionedAnswer` requires.
    func list() throws -> Response {
        let version = try store.dataVersion()
        return .json(try listAnswer.bytes(at: version) { Self.listJSON(try store.packSummaries(), timeLimit: timeLimit) })
    }

    /// `[{"p_id":…,"count":…,"open":true,"settings":{"time_limit":3.0,…}},…]` in the store's order
    /// (by id); settings compact (`appendListJSON`), the time limit the effective one.
    static func listJSON(_ packs: [PackSummary], timeLimit: Double) -> [UInt8] {
        var out: [UInt8] = [0x5B]
        for (index, pack) in packs.enumerated() {
            if index > 0 { out.append(0x2C) }
            PackJSON.appendFields(of: pack, to: &out, closing: false)
            out.append(contentsOf: pack.open ? #","open":true,"settings":"#.utf8 : #","open":false,"settings":"#.utf8)
            pack.settings.appendListJSON(to: &out, serverTimeLimit: timeLimit)
            out.append(0x7D)
        }
        out.append(0x5D)
        return out
    }

    func upload() -> PackUpload {
        PackUpload(stagingRoot: data.staging, packSize: packSize) { [store] name in
            try store.packNames().contains(name)
        }
    }

    func create(_ request: HTTPRequest) throws -> Response {
        let staged = try upload().receive(request)
        if staged.skippedFiles > 0 {
            log.note(.info, "request \(request.id): create skipped \(staged.skippedFiles) file(s) that are not pair images")
        }
        try staged.folder.makeDurable()
        let destination = data.packs + "/" + staged.form.name
        let newPack = NewPack(name: staged.form.name, sex: staged.form.sex, ageMin: staged.form.ageMin,
                              ageMax: staged.form.ageMax, pairs: staged.pairs,
                              folder: packCopies == nil ? nil : staged.folder.path, settings: staged.settings)
        let journal = PackJournal(directory: data.staging)
        defer { journal.end(newPack.name) }
        let id: Int64
        do {
            id = try store.createPack(newPack) {
                try journal.begin(newPack.name)
                try staged.folder.moveIntoPlace(at: destination, quarantine: data.quarantine)
            }
        } catch StoreError.packNameTaken {
            throw APIError.badRequest("Pack Existed")
        } catch StoreError.conditionOverlap(let other) {
            throw APIError.badRequest(Self.overlapSentence(other))
        } catch StoreError.outcomeUnknown(let cause) {
            // The pack may be committed: its folder stays (start-up quarantines it if not).
            throw StoreError.outcomeUnknown(cause)
        } catch {
            staged.folder.moveBack(from: destination)
            throw error
        }
        // This node's folder is the pack's copy from now on: recorded before the answer, not left
        // for the next sweep to learn (which would change the data directory a moment later).
        packCopies?.noteCreated(name: newPack.name, id: id)
        return .text("Pack \(id) Added.")
    }

    func remove(_ request: HTTPRequest) throws -> Response {
        let raw = request.query["id"] ?? ""
        guard let id = Int64(raw), id > 0 else { throw APIError.badRequest(Self.sentence("Unknown Pack", raw)) }
        // The folder leaves `packs/` inside the store's write transaction, so a create of the same
        // name (which renames its folder in inside its own transaction) cannot fall in between.
        var parked: (folder: String, from: String)?
        let removed: PackSummary?
        do {
            removed = try store.removePack(id: id) { summary in
                let path = data.packs + "/" + summary.name
                parked = try PackFolder.park(path, in: data.staging).map { ($0, path) }
            }
        } catch {
            if let parked { PackFolder.unpark(parked.folder, to: parked.from) }
            throw error
        }
        guard removed != nil else { throw APIError.badRequest(Self.sentence("Unknown Pack", raw)) }
        if let parked { PackFolder.delete(parked.folder) }
        return .text("Pack \(id) Deleted.")
    }

    func download(_ request: HTTPRequest) throws -> Response {
        let raw = request.query["id"] ?? ""
        guard let id = Int64(raw), id > 0, let pack = try store.pack(id: id) else {
            throw APIError.badRequest(Self.sentence("Pack", raw, "Not Found"))
        }
        let format = (request.query["format"] ?? "json").lowercased()
        guard ["json", "csv", "rcicr", "psychds"].contains(format) else {
            throw APIError.badRequest(Self.sentence("Invalid Format:", request.query["format"] ?? ""))
        }
        let count = try store.replyCount(packID: id)
        var export = ReplyExport(store: store, pack: pack, replyCount: count, serverTimeLimit: timeLimit)
        let downloads = self.downloads
        if format != "json" {
            let files = packFiles.value(for: pack, make: PackFiles.init)
            export.csvNames = csvNames.value(for: pack) { _ in CSVNameTable(files: files) }
            if format == "psychds" {
                let dataset = PsychDSExport(export: export, date: Date())
                return Response(status: 200, headers: [("Content-Type", "application/zip"),
                                                       ("Content-Disposition", "attachment; filename=\"\(id)-psychds.zip\"")],
                                body: .stream { sink in try downloads.run { try dataset.write(to: sink) } })
            }
            let rcicr = format == "rcicr"
            return Response(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8"),
                                                   ("Content-Disposition", "attachment; filename=\"\(id)\(rcicr ? "-rcicr" : "").csv\"")],
                            body: .stream { [export] sink in
                                try downloads.run { try export.writeCSV(to: rcicr ? RcicrCSVSink(target: sink) : sink) }
                            })
        }
        return Response(status: 200, headers: [("Content-Type", Response.jsonType),
                                               ("Content-Disposition", "attachment; filename=\"\(id).json\"")],
                        body: .stream { [export] sink in try downloads.run { try export.writeJSON(to: sink) } })
    }

    /// What the admin page needs to check a folder before sending it: `{"pack_size":300,"time_limit":3}`.
    func config() -> Response {
        .json(#"{"pack_size":\#(packSize),"time_limit":\#(timeLimit)}"#)
    }

    /// The spec's sentence first (clients match it), then which open pack is in the way.
    static func overlapSentence(_ other: PackSummary) -> String {
        "Pack Condition Overlapped: \(other.name) (sex \(other.sex), ages \(other.ageMin)-\(other.ageMax))"
    }

    /// "Unknown Pack 7" / "Pack 7 Not Found", with a missing or absurd id kept short.
    static func sentence(_ before: String, _ id: String, _ after: String = "") -> String {
        let shown = id.count > 24 ? String(id.prefix(24)) + "…" : id
        return [before, shown, after].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
