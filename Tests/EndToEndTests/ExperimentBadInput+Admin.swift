import PsyxTestSupport

/// The admin rows of the matrix: create (fields first on small bodies, since the
/// field checks come before the folder checks; folder checks on full 600-file
/// bodies) and unknown ids for download and remove.
extension ExperimentBadInput {
    static func createFieldCases() -> [ExperimentBadInput] {
        var fieldsOnly = MultipartBody()
        for (name, value) in fields("", nil) { fieldsOnly.addField(name, value) }
        fieldsOnly.close()
        let truncated = packBody(fields("", nil), closed: false)
        var wrongPartName = MultipartBody()
        for (name, value) in fields("", nil) { wrongPartName.addField(name, value) }
        for name in PackFixture(name: "unused", pairs: 1).fileNames {
            wrongPartName.addFile("image", filename: name, content: TinyImages.jpeg)
        }
        wrongPartName.close()
        return [
            .init("create without a file part", .upload(fieldsOnly), "Nothing Uploaded"),
            .init("images in parts not named file", .upload(wrongPartName), "Nothing Uploaded"),
            .init("a Content-Type naming another boundary", .upload(packBody(fields("", nil)), contentType: "multipart/form-data; boundary=elsewhere"),
                  "Malformed Upload: the body ends before its final boundary"),
            .init("create as JSON, not multipart", .upload(packBody(fields("", nil)), contentType: "application/json"), "Nothing Uploaded"),
            .init("pack_name with capitals", .upload(packBody(fields("pack_name", "Fresh"))), "Invalid Pack Name"),
            .init("pack_name of 16 characters", .upload(packBody(fields("pack_name", "abcdefghijklmnop"))), "Invalid Pack Name"),
            .init("pack_name of 300 characters", .upload(packBody(fields("pack_name", String(repeating: "a", count: 300)))), "Invalid Pack Name"),
            .init("pack_name with a path", .upload(packBody(fields("pack_name", "../evil"))), "Invalid Pack Name"),
            .init("pack_name missing", .upload(packBody(fields("pack_name", nil))), "Invalid Pack Name"),
            .init("age_min below 0", .upload(packBody(fields("age_min", "-1"))), "Invalid Age Bound"),
            .init("age_max above 120", .upload(packBody(fields("age_max", "121"))), "Invalid Age Bound"),
            .init("age_min above age_max", .upload(packBody(fields("age_min", "50"))), "Invalid Age Bound"),
            .init("age_min not a number", .upload(packBody(fields("age_min", "forty"))), "Invalid Age Bound"),
            .init("age_max missing", .upload(packBody(fields("age_max", nil))), "Invalid Age Bound"),
            .init("sex 3", .upload(packBody(fields("sex", "3"))), "Invalid Sex"),
            .init("sex as a word", .upload(packBody(fields("sex", "female"))), "Invalid Sex"),
            .init("sex missing", .upload(packBody(fields("sex", nil))), "Invalid Sex"),
            .init("a taken pack name", .upload(packBody(fields("pack_name", "base"))), "Pack Existed"),
            .init("a body without its final boundary", .upload(truncated),
                  "Malformed Upload: the body ends before its final boundary"),
        ]
    }

    /// Full uploads of 300 pairs (or one file off): each costs a few seconds of fsyncs, so only these.
    static func createFolderCases() -> [ExperimentBadInput] {
        func fresh(_ change: (inout PackFixture) -> Void) -> Request {
            var fixture = PackFixture(name: "fresh", pairs: 300)
            fixture.sex = "1"
            fixture.ageMin = "40"
            fixture.ageMax = "49"
            change(&fixture)
            return .upload(fixture.body())
        }
        return [
            .init("599 files", fresh { $0.omitted = [PackFixture.fileName(150, "inv")] }, "Invalid Folder Size: a pack needs 300 pairs (600 images)"),
            .init("601 files", fresh { $0.extraFiles = [(PackFixture.fileName(301, "ori"), TinyImages.jpeg)] }, "Invalid Folder Size: a pack needs 300 pairs (600 images)"),
            .init("an unpaired file (600 files, pair 300 without its inv, a lone 301 ori)", fresh {
                $0.omitted = [PackFixture.fileName(300, "inv")]
                $0.extraFiles = [(PackFixture.fileName(301, "ori"), TinyImages.jpeg)]
            }, "Invalid Folder Size: a pack needs 300 pairs (600 images)"),
            .init("a traversal name ../../x_00001_ori.jpg (601 files)", fresh {
                $0.extraFiles = [("../../x_00001_ori.jpg", TinyImages.jpeg)]
            }, "Invalid Folder Size: a pack needs 300 pairs (600 images)"),
            .init("non-image bytes with an image name (and markup in the name)", fresh {
                $0.omitted = [PackFixture.fileName(7, "ori")]
                $0.extraFiles = [("faces/<b>_00007_ori.jpg", Array("<?php echo 'not an image'; ?>".utf8))]
            }, "Invalid Image: <b>_00007_ori.jpg"),
            .init("conditions overlapping the base pack (female 25–35)", fresh {
                $0.sex = "2"
                $0.ageMin = "25"
                $0.ageMax = "35"
            }, "Pack Condition Overlapped: base (sex 2, ages 20-29)"),
        ]
    }

    static func unknownIDCases() -> [ExperimentBadInput] {
        [
            .init("download an unknown id", .admin("GET", "/api/admin/download?id=999"), "Pack 999 Not Found"),
            .init("download id 0", .admin("GET", "/api/admin/download?id=0"), "Pack 0 Not Found"),
            .init("download a non-numeric id", .admin("GET", "/api/admin/download?id=abc&format=csv"), "Pack abc Not Found"),
            .init("download without an id", .admin("GET", "/api/admin/download"), "Pack Not Found"),
            .init("remove an unknown id", .admin("GET", "/api/admin/remove?id=999"), "Unknown Pack 999"),
            .init("remove a negative id", .admin("GET", "/api/admin/remove?id=-1"), "Unknown Pack -1"),
            .init("remove the next id by POST", .admin("POST", "/api/admin/remove?id=2"), "Unknown Pack 2"),
            .init("remove an id with markup", .admin("GET", "/api/admin/remove?id=%3Cb%3E1"), "Unknown Pack <b>1"),
            .init("remove without an id", .admin("GET", "/api/admin/remove"), "Unknown Pack"),
        ]
    }
}
