/// One request as the log records it. Building it is the caller's job, and so is
/// keeping personal data (names, emails, phones, answers) out of every field.
public struct LogEntry: Sendable {
    public var level: LogLevel
    /// The id also shown on a 500 page, so a report can be matched to its line.
    public var requestID: String
    public var method: String
    /// The route or path, without the query string.
    public var route: String
    public var status: Int
    public var durationMilliseconds: Double
    /// `REMOTE_ADDR`, or `X-Real-IP` set by Nginx.
    public var client: String
    /// The basic-auth user on admin routes; nil elsewhere.
    public var user: String?
    /// The 400 sentence or the 500 cause. Must not carry personal data.
    public var message: String?

    public init(
        level: LogLevel, requestID: String, method: String, route: String, status: Int,
        durationMilliseconds: Double, client: String, user: String? = nil, message: String? = nil
    ) {
        self.level = level
        self.requestID = requestID
        self.method = method
        self.route = route
        self.status = status
        self.durationMilliseconds = durationMilliseconds
        self.client = client
        self.user = user
        self.message = message
    }
}
