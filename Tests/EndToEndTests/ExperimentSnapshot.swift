import Foundation

/// What a refused request must leave exactly as it was: the answers of list and
/// of download for the existing pack and the next id, and every file under the
/// data directory (pack folders, staging) but the log and the database files.
struct ExperimentSnapshot: Equatable {
    /// `STATUS BODY` of list, download?id=1 and download?id=2.
    var answers: [String]
    var files: [String]

    init(_ client: ExperimentClient) throws {
        let paths = ["/api/admin/list", "/api/admin/download?id=1", "/api/admin/download?id=2"]
        answers = try client.adminBodies(paths).map { "\($0.status) \($0.text)" }
        files = client.dataFiles()
    }

    /// The first difference, for a failure message.
    func difference(from other: ExperimentSnapshot) -> String {
        if answers != other.answers {
            return "API answers changed:\n\(other.answers.map { $0.prefix(300) })\n→\n\(answers.map { $0.prefix(300) })"
        }
        let added = Set(files).subtracting(other.files).sorted()
        let removed = Set(other.files).subtracting(files).sorted()
        return "files added: \(added.prefix(10)), removed: \(removed.prefix(10))"
    }
}
