import Foundation

/// Whether the pack rows of a database and the folders in a `packs/` folder tell the same story: each
/// row has its folder holding every file its pairs name, and each folder has its row. A backup refuses
/// to finish, and a restore to succeed, when they do not — such a data directory would not serve.
enum PackFolderAgreement {
    static func problems(rows: [PackRow], packsFolder: String) -> [String] {
        var problems: [String] = []
        var folders = Set<String>()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: packsFolder)) ?? [] {
            if FileStatus.of(packsFolder + "/" + entry)?.isDirectory == true {
                folders.insert(entry)
            } else {
                problems.append("packs/\(entry) is not a folder")
            }
        }
        for row in rows {
            guard folders.contains(row.name) else {
                problems.append("pack \(row.name) (p_id \(row.id)) has no folder packs/\(row.name)")
                continue
            }
            let present = Set((try? FileManager.default.contentsOfDirectory(atPath: packsFolder + "/" + row.name)) ?? [])
            let missing = row.files.subtracting(present).sorted()
            if let first = missing.first {
                problems.append("packs/\(row.name) lacks \(missing.count) of the \(row.files.count) images its pairs name (\(first) first)")
            }
        }
        for folder in folders.subtracting(rows.map(\.name)).sorted() {
            problems.append("packs/\(folder) has no pack row in the database")
        }
        return problems
    }

    /// The problems as one refusal, at most five of them spelled out.
    static func refusal(_ problems: [String], _ what: String) -> BackupError {
        let shown = problems.prefix(5).joined(separator: "; ") + (problems.count > 5 ? "; and \(problems.count - 5) more" : "")
        return .refused("\(what): pack rows and pack folders disagree: \(shown)")
    }
}
