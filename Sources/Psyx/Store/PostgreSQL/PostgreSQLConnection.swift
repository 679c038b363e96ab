import CPostgreSQL
import Glibc

/// One libpq connection: open, statements with parameters (text format), reset when it broke.
///
/// libpq connections are not thread-safe: the owner uses each from one thread at a time
/// (`PostgreSQLPool` hands a connection to one caller at a time). Errors carry the SQLSTATE and
/// never the connection string.
final class PostgreSQLConnection {
    let handle: OpaquePointer
    let info: PostgreSQLConnectionInfo
    /// Statements prepared on this session, by SQL text (`PostgreSQLConnection+Prepared`).
    var prepared: [String: String] = [:]

    /// Seconds libpq waits for a server that does not answer, unless the connection string says otherwise.
    static let defaultConnectTimeout = "10"

    /// Connects; `connect_timeout` and `application_name` are defaults the connection string can override.
    /// `settings` are session settings (`-c name=value`, plain words) added to the string's own `options`.
    init(_ info: PostgreSQLConnectionInfo, settings: [(name: String, value: String)] = []) throws(PostgreSQLError) {
        self.info = info
        // Later parameters override earlier ones, and the expanded connection string (dbname, with
        // expand_dbname) comes after the defaults, so it wins over them; `options` comes last, the
        // string's own options with the settings appended.
        // Both arrays end with NULL, as libpq reads until it.
        var keywords: [String?] = ["connect_timeout", "fallback_application_name", "dbname"]
        var values: [String?] = [Self.defaultConnectTimeout, "psyx", info.text]
        if !settings.isEmpty {
            keywords.append("options")
            values.append(([info.value("options")].compactMap { $0 } + settings.map { "-c \($0.name)=\($0.value)" })
                .joined(separator: " "))
        }
        keywords.append(nil)
        values.append(nil)
        let connection = Self.withCStrings(keywords) { keywordPointers in
            Self.withCStrings(values) { valuePointers in PQconnectdbParams(keywordPointers, valuePointers, 1) }
        }
        guard let connection else { throw PostgreSQLError(.connectFailed, message: "out of memory") }
        handle = connection
        PQsetNoticeProcessor(handle, { _, _ in }, nil)  // NOTICEs (e.g. "already exists, skipping") are not errors
        guard PQstatus(handle) == CONNECTION_OK else {
            // Every property is set, so deinit runs and PQfinish frees the failed connection.
            throw PostgreSQLError(.connectFailed, message: errorMessage)
        }
    }

    deinit { PQfinish(handle) }

    /// False once the connection broke (the server went away, the backend was terminated).
    var isOpen: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The server process serving this connection (`pg_backend_pid()`), 0 when broken.
    var backendPID: Int32 { PQbackendPID(handle) }

    /// True inside a transaction block (also a failed one waiting for ROLLBACK).
    var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// Reconnects a broken connection with the same parameters (`PQreset`); does nothing when it is open.
    func reopenIfBroken() throws(PostgreSQLError) {
        guard !isOpen else { return }
        prepared.removeAll()  // the server's session, and its prepared statements, are gone
        PQreset(handle)
        guard isOpen else { throw PostgreSQLError(.connectFailed, message: errorMessage) }
    }

    /// Runs one statement with `$1`, `$2`, … parameters sent apart from the SQL text.
    @discardableResult
    func execute(_ sql: String, _ parameters: [any PostgreSQLParameter] = []) throws(PostgreSQLError) -> PostgreSQLResult {
        let texts = try Self.texts(of: parameters)
        let name = try preparedName(for: sql)
        let result = Self.withCStrings(texts) { values in
            if let name {
                PQexecPrepared(handle, name, Int32(texts.count), values, nil, nil, 0)
            } else {
                PQexecParams(handle, sql, Int32(texts.count), nil, values, nil, nil, 0)
            }
        }
        return try checked(result)
    }

    /// The parameters in libpq's text format. libpq reads each value up to its first NUL: a value
    /// holding one is refused rather than stored cut short.
    static func texts(of parameters: [any PostgreSQLParameter]) throws(PostgreSQLError) -> [String?] {
        let texts = parameters.map(\.postgreSQLText)
        if let index = texts.firstIndex(where: { $0.map(Self.holdsNUL) == true }) {
            throw PostgreSQLError(.invalidParameter, message: "parameter $\(index + 1) holds a NUL character, "
                                  + "which PostgreSQL text cannot store")
        }
        return texts
    }

    /// Whether the text holds a NUL byte (`memchr` over its UTF-8: answers run to tens of kilobytes).
    static func holdsNUL(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }
    }

    /// Runs SQL text that may hold several statements and takes no parameters (schema steps).
    func executeScript(_ sql: String) throws(PostgreSQLError) {
        try checked(PQexec(handle, sql))
    }

    /// The result when the statement succeeded; otherwise an error with its SQLSTATE.
    @discardableResult
    func checked(_ result: OpaquePointer?) throws(PostgreSQLError) -> PostgreSQLResult {
        guard let result else {
            // No result at all: the command could not be sent, or memory ran out.
            throw PostgreSQLError(isOpen ? .server : .connectionLost, message: errorMessage)
        }
        let owned = PostgreSQLResult(owning: result)
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return owned
        default:
            let field = { (code: UInt8) -> String? in
                PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
            }
            let message = field(UInt8(ascii: "M")) ?? PostgreSQLError.libpqMessage(PQresultErrorMessage(result))
                ?? errorMessage
            throw PostgreSQLError(isOpen ? .server : .connectionLost, sqlState: field(UInt8(ascii: "C")),
                                  message: message,
                                  detail: field(UInt8(ascii: "D")), constraint: field(UInt8(ascii: "n")))
        }
    }

    /// libpq's last message for this connection (host and user at most: never the password).
    var errorMessage: String {
        PostgreSQLError.libpqMessage(PQerrorMessage(handle)) ?? "unknown libpq error"
    }

    /// Calls `body` with C strings for `strings` (NULL for nil), valid only during the call.
    static func withCStrings<T>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        let copies = strings.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }
}
