import Foundation
import PsyxTestSupport
import Synchronization
import XCTest
@testable import Psyx

/// The libpq wrapper against the real test server: parameters and typed reading, NULLs, unicode,
/// errors with their SQLSTATE, transactions, retries of serialization failures, and a connection the
/// server killed, reopened on the next call.
final class PostgreSQLWrapperTests: XCTestCase {
    func testParametersRoundTripAsTheirTypes() throws {
        let schema = try PostgreSQLTestSchema()
        let db = try schema.connect()
        let text = "홍길동 O'Brien \\ \"quoted\" 🎉\nline 2\t"
        let row = try XCTUnwrap(try db.execute(
            "SELECT $1::bigint, $2::bigint, $3::text, $4::float8, $5::float8, $6::boolean, $7::text, $8::float8",
            [Int64.max, Int64.min, text, 0.1, 1_800_000_062.125, true, String?.none, Double.infinity]).first)
        XCTAssertEqual(try row.int64(0), Int64.max)
        XCTAssertEqual(try row.int64(1), Int64.min)
        XCTAssertEqual(try row.text(2), text)
        XCTAssertEqual(try row.double(3), 0.1, "float8 text reads back exactly")
        XCTAssertEqual(try row.double(4), 1_800_000_062.125)
        XCTAssertTrue(try row.bool(5))
        XCTAssertTrue(row.isNull(6))
        XCTAssertNil(row.optionalText(6))
        XCTAssertEqual(try row.double(7), .infinity)

        try db.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text, score float8)")
        let inserted = try db.execute("INSERT INTO t VALUES ($1, $2, $3), ($4, $5, $6)",
                                      [Int64(1), text, 2.5, Int64(2), String?.none, Double?.none])
        XCTAssertEqual(inserted.affectedRows, 2)
        let rows = try db.execute("SELECT id, name, score FROM t ORDER BY id").rows
        XCTAssertEqual(try rows.map { try $0.int64(0) }, [1, 2])
        XCTAssertEqual(rows.map { $0.optionalText(1) }, [text, nil])
        XCTAssertEqual(try rows.map { try $0.optionalDouble(2) }, [2.5, nil])
        XCTAssertEqual(try db.execute("SELECT count(*) FROM t WHERE name = $1", [text]).first?.int64(0), 1,
                       "a parameter is compared as the value it is, quotes and all")
    }

    func testANullOrAWrongTypeIsAnErrorNotAZero() throws {
        let schema = try PostgreSQLTestSchema()
        let row = try XCTUnwrap(try schema.connect().execute("SELECT NULL::bigint, 'seven'::text, 'x'::text").first)
        XCTAssertNil(try row.optionalInt64(0))
        XCTAssertThrowsError(try row.int64(0)) { XCTAssertEqual(($0 as? PostgreSQLError)?.kind, .unexpectedValue) }
        XCTAssertThrowsError(try row.int64(1)) { XCTAssertEqual(($0 as? PostgreSQLError)?.kind, .unexpectedValue) }
        XCTAssertThrowsError(try row.bool(2))
    }

    func testServerErrorsCarryTheirSQLState() throws {
        let schema = try PostgreSQLTestSchema()
        let db = try schema.connect()
        try db.execute("CREATE TABLE names (name text CONSTRAINT names_unique UNIQUE)")
        try db.execute("CREATE TABLE spans (span int8range, EXCLUDE USING gist (span WITH &&))")
        try db.execute("INSERT INTO names VALUES ($1)", ["a"])
        let cases: [(String, [any PostgreSQLParameter], String)] = [
            ("INSERT INTO names VALUES ($1)", ["a"], "23505"),
            ("SELEC 1", [], "42601"),
            ("SELECT 1 / $1::int", [0], "22012"),
            ("SELECT * FROM no_such_table", [], "42P01"),
        ]
        for (sql, parameters, state) in cases {
            XCTAssertThrowsError(try db.execute(sql, parameters), sql) { error in
                let error = error as? PostgreSQLError
                XCTAssertEqual(error?.kind, .server)
                XCTAssertEqual(error?.sqlState, state, sql)
            }
        }
        XCTAssertThrowsError(try db.execute("INSERT INTO names VALUES ('a')")) {
            let error = $0 as? PostgreSQLError
            XCTAssertTrue(error?.isUniqueViolation == true)
            XCTAssertEqual(error?.constraint, "names_unique")
            XCTAssertEqual(error?.detail, "Key (name)=(a) already exists.")
        }
        try db.execute("INSERT INTO spans VALUES (int8range(0, 10))")
        XCTAssertThrowsError(try db.execute("INSERT INTO spans VALUES (int8range(5, 20))")) {
            XCTAssertTrue(($0 as? PostgreSQLError)?.isExclusionViolation == true, "\($0)")
        }
        XCTAssertEqual(try db.execute("SELECT 1").first?.int64(0), 1, "the connection is usable after errors")
    }

    func testATransactionCommitsOrLeavesNothing() throws {
        let schema = try PostgreSQLTestSchema()
        let pool = try PostgreSQLPool(schema.info, maxConnections: 2)
        try pool.transaction { try $0.execute("CREATE TABLE t (n int)") }
        struct Refused: Error {}
        XCTAssertThrowsError(try pool.transaction { db in
            try db.execute("INSERT INTO t VALUES (1)")
            throw Refused()
        }) { XCTAssertTrue($0 is Refused, "the body's own error comes out unchanged") }
        XCTAssertThrowsError(try pool.transaction { db in
            try db.execute("INSERT INTO t VALUES (2)")
            try db.execute("INSERT INTO t VALUES ('x')")
        })
        try pool.transaction(.serializable) { try $0.execute("INSERT INTO t VALUES (3)") }
        XCTAssertEqual(try pool.read { try $0.execute("SELECT n FROM t").rows.map { try $0.int64(0) } }, [3])
        XCTAssertEqual(pool.idleCount, 1, "one connection did it all, back in the pool")
    }

    func testASerializationFailureHasItsCodeAndIsRetriedWhenAsked() throws {
        let schema = try PostgreSQLTestSchema()
        let first = try schema.connect()
        let second = try schema.connect()
        try first.execute("CREATE TABLE counter (n bigint)")
        try first.execute("INSERT INTO counter VALUES (0)")
        try first.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
        _ = try first.execute("SELECT n FROM counter")
        try second.execute("UPDATE counter SET n = n + 1")
        XCTAssertThrowsError(try first.execute("UPDATE counter SET n = n + 1")) {
            XCTAssertTrue(($0 as? PostgreSQLError)?.isSerializationFailure == true, "\($0)")
        }
        first.rollback()

        // Read-modify-write from four threads at once: every increment lands, through retries.
        let pool = try PostgreSQLPool(schema.info, maxConnections: 4)
        let attempts = Atomic(0)
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<25 {
                do {
                    try pool.transaction(.serializable) { db in
                        attempts.add(1, ordering: .relaxed)
                        let n = try XCTUnwrap(try db.execute("SELECT n FROM counter").first).int64(0)
                        try db.execute("UPDATE counter SET n = $1", [n + 1])
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        XCTAssertEqual(try first.execute("SELECT n FROM counter").first?.int64(0), 101)
        XCTAssertGreaterThan(attempts.load(ordering: .relaxed), 100, "some attempts conflicted and ran again")
    }

    func testAKilledConnectionIsReopenedOnTheNextCall() throws {
        let schema = try PostgreSQLTestSchema()
        let observer = try schema.connect()
        let pool = try PostgreSQLPool(schema.info, maxConnections: 1)
        let before = try pool.read(backendPID)
        try kill(backend: before, from: observer)

        // The next call finds the connection dead, reopens it and runs on a new backend.
        let after = try pool.read(backendPID)
        XCTAssertNotEqual(after, before)
        try kill(backend: after, from: observer)
        try pool.transaction { try $0.execute("CREATE TABLE t (n int)") }
        XCTAssertEqual(try pool.read { try $0.execute("SELECT count(*) FROM t").first?.int64(0) }, 0)

        // On a bare connection the loss is reported as such, and a reset brings it back.
        let bare = try schema.connect()
        try kill(backend: Int64(bare.backendPID), from: observer)
        XCTAssertThrowsError(try bare.execute("SELECT 1")) {
            XCTAssertTrue(($0 as? PostgreSQLError)?.isConnectionLost == true, "\($0)")
        }
        XCTAssertFalse(bare.isOpen)
        try bare.reopenIfBroken()
        XCTAssertEqual(try bare.execute("SELECT 1").first?.int64(0), 1)
    }

    /// The server process of a connection, asked the server's way (a lost connection throws from here,
    /// not from inside an XCTest assertion, so the pool's retry is what the test sees).
    private func backendPID(_ db: PostgreSQLConnection) throws -> Int64 {
        try db.execute("SELECT pg_backend_pid()").rows.map { try $0.int64(0) }.first ?? -1
    }

    /// `pg_terminate_backend` from another connection, waiting until the backend is gone.
    private func kill(backend pid: Int64, from observer: PostgreSQLConnection) throws {
        XCTAssertEqual(try observer.execute("SELECT pg_terminate_backend($1::int, 5000)", [pid]).first?.bool(0), true)
    }
}
