@testable import FastCGI

/// The records a server sent for one request, with the CGI response read back out of STDOUT.
struct ReceivedResponse {
    let records: [Record]
    /// STDOUT reassembled.
    let stdout: [UInt8]

    init(records: [Record]) {
        self.records = records
        var stdout: [UInt8] = []
        for record in records where record.kind == .stdout { stdout += record.content }
        self.stdout = stdout
    }

    var stdoutRecords: [Record] { records.filter { $0.kind == .stdout } }
    var stderrRecords: [Record] { records.filter { $0.kind == .stderr } }
    var endRequest: Record? { records.last.flatMap { $0.kind == .endRequest ? $0 : nil } }

    /// The CGI header block (without the blank line), as text.
    var head: String {
        guard let split = headerEnd else { return String(decoding: stdout, as: UTF8.self) }
        return String(decoding: stdout[..<split], as: UTF8.self)
    }

    /// What follows the blank line.
    var body: [UInt8] {
        guard let split = headerEnd else { return [] }
        return Array(stdout[(split + 4)...])
    }

    /// The number after `Status:`, nil when there is none.
    var status: Int? {
        guard head.hasPrefix("Status: ") else { return nil }
        return Int(head.dropFirst(8).prefix(3))
    }

    /// The STDOUT stream ends with exactly one empty record, just before END_REQUEST,
    /// and END_REQUEST says REQUEST_COMPLETE with appStatus 0.
    var isCleanlyEnded: Bool {
        guard records.count >= 2, let endRequest else { return false }
        let terminator = records[records.count - 2]
        let emptyStdout = stdoutRecords.filter { $0.content.isEmpty }.count
        return terminator.kind == .stdout && terminator.content.isEmpty && emptyStdout == 1
            && endRequest.content == [0, 0, 0, 0, 0, 0, 0, 0]
    }

    private var headerEnd: Int? {
        let bytes = stdout.prefix(64 * 1024)
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
