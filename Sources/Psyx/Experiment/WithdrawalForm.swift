import FastCGI

/// What a withdrawal request names: exactly one of `r_id` (one reply) and `no` (a participant
/// number, every pack), and optionally `expect`, the count the admin confirmed. Read from a form
/// body — which keeps a participant number out of URLs, hence out of Nginx's access log — or from
/// the query string (`curl -X POST '…/withdraw?r_id=17'`); a field in both is the body's.
struct WithdrawalForm {
    let selector: ReplySelector
    /// Refused when another number of replies match by the time of the deletion.
    let expected: Int?

    init(_ request: HTTPRequest) throws {
        let body = try RelocationForm(request)
        let form = RelocationForm(fields: body.fields.merging(request.query) { fromBody, _ in fromBody })
        switch (form.fields["r_id"], form.fields["no"]) {
        case (.some, nil):
            selector = .reply(id: try form.number("r_id"))
        case (nil, let no?):
            // The participant rule, or a recruitment platform's ID (which is the number of a reply
            // from a platform link): a number that could never have been stored is a typing mistake.
            guard let valid = Participant.normalizedExperimentNo(no) ?? (RecruitmentIDs.isValidValue(no) ? no : nil) else {
                let error = ParticipantError.invalid(.no, .string(no))
                throw APIError.badPersonalInput(error.message, logMessage: error.loggableMessage)
            }
            selector = .participant(no: valid)
        case (nil, nil):
            throw APIError.badRequest("Missing r_id or no")
        case (.some, .some):
            throw APIError.badRequest("Both r_id and no Given")
        }
        expected = try form.fields["expect"].map { _ in Int(try form.number("expect")) }
    }
}
