import Foundation

/// The last lines of a stack's logs, for failure messages.
enum LogTails {
    /// `heading`, then for each non-empty file its label and last `lines` lines.
    static func text(_ heading: String, files: [URL], lines: Int, label: (URL) -> String) -> String {
        var text = heading
        for file in files {
            guard let content = try? String(contentsOf: file, encoding: .utf8), !content.isEmpty else { continue }
            let tail = content.split(separator: "\n").suffix(lines).joined(separator: "\n")
            text += "\n--- \(label(file)):\n\(tail)"
        }
        return text
    }
}
