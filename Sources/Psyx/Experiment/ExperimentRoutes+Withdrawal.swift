import FastCGI

/// Withdrawal (admin): the replies of one `r_id`, or of one participant number in every pack,
/// counted for the confirmation and then deleted in one transaction.
extension ExperimentRoutes {
    /// `POST /api/admin/withdraw/preview` → what a withdrawal would delete now, for the admin's
    /// confirmation: `{"count":2,"packs":[{"p_id":1,"pack_name":"women30s","count":1},…]}`.
    func withdrawalPreview(_ request: HTTPRequest) throws -> Response {
        let form = try WithdrawalForm(request)
        let found = try store.replies(matching: form.selector)
        guard found.count > 0 else { throw APIError.badRequest("No Reply Found") }
        return .json(Self.withdrawalJSON(found))
    }

    /// `POST /api/admin/withdraw` → `2 Replies Deleted.`. With `expect`, a different count matching
    /// now (a reply arrived or went since the confirmation) deletes nothing. The log names the admin,
    /// the count and the packs, never the participant number.
    func withdraw(_ request: HTTPRequest) throws -> Response {
        let form = try WithdrawalForm(request)
        let withdrawal = try store.withdrawReplies(form.selector) { found in
            if let expected = form.expected, expected != found.count {
                throw APIError.badRequest("Replies Changed: \(found.count) Match Now, Not \(expected)")
            }
        }
        guard withdrawal.count > 0 else { throw APIError.badRequest("No Reply Found") }
        log.note(.info, "request \(request.id): admin \(request.remoteUser ?? "-") withdrew \(withdrawal.count) "
                 + "\(withdrawal.count == 1 ? "reply" : "replies") \(form.selector.logDescription) from \(withdrawal.packList)")
        return .text(withdrawal.sentence)
    }

    static func withdrawalJSON(_ withdrawal: Withdrawal) -> [UInt8] {
        var out = Array(#"{"count":"#.utf8)
        JSONText.appendInteger(withdrawal.count, to: &out)
        out.append(contentsOf: #","packs":["#.utf8)
        for (index, part) in withdrawal.parts.enumerated() {
            if index > 0 { out.append(0x2C) }
            out.append(contentsOf: #"{"p_id":"#.utf8)
            JSONText.appendInteger(part.packID, to: &out)
            out.append(contentsOf: #","pack_name":"#.utf8)
            JSONText.appendString(part.packName, to: &out)
            out.append(contentsOf: #","count":"#.utf8)
            JSONText.appendInteger(part.count, to: &out)
            out.append(0x7D)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }
}
