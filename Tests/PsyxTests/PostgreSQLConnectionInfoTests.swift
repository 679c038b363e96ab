import XCTest
@testable import Psyx

/// Connection strings: both of libpq's forms accepted, passwords refused without being repeated, and
/// libpq's own complaints about a malformed string never echoing what looked like a password.
final class PostgreSQLConnectionInfoTests: XCTestCase {
    func testURIsAndKeywordFormsAreParsedByLibpq() throws {
        let uri = try PostgreSQLConnectionInfo("postgresql://psyx@db1:5433/experiments?connect_timeout=3")
        XCTAssertEqual(uri.value("host"), "db1")
        XCTAssertEqual(uri.value("port"), "5433")
        XCTAssertEqual(uri.value("dbname"), "experiments")
        XCTAssertEqual(uri.value("user"), "psyx")
        XCTAssertEqual(uri.value("connect_timeout"), "3")
        XCTAssertEqual(try PostgreSQLConnectionInfo("postgres:///psyx?host=/run/pg").value("host"), "/run/pg")
        let keywords = try PostgreSQLConnectionInfo("host=/run/pg dbname='my db' user=psyx")
        XCTAssertEqual(keywords.value("dbname"), "my db")
        XCTAssertEqual(keywords.description, "user='psyx' dbname='my db' host='/run/pg'", "libpq's order, no password")
        let changed = try keywords.with([(keyword: "options", value: "-c search_path=it's")])
        XCTAssertEqual(changed.value("options"), "-c search_path=it's")
        XCTAssertEqual(changed.value("dbname"), "my db")
    }

    func testAPasswordInTheStringIsRefusedAndNeverRepeated() {
        for text in ["postgresql://psyx:hunter2secret@db1/psyx", "postgres://db1/psyx?password=hunter2secret",
                     "host=db1 password=hunter2secret", "host=db1 password = 'hunter2secret'"] {
            XCTAssertThrowsError(try PostgreSQLConnectionInfo(text), text) { error in
                XCTAssertFalse("\(error)".contains("hunter2secret"), "\(error)")
                XCTAssertTrue("\(error)".contains("PGPASSFILE"), "\(error)")
            }
        }
    }

    func testAClientKeyPassphraseIsNeverShown() throws {
        let info = try PostgreSQLConnectionInfo("host=db1 sslpassword=hunter2secret")
        XCTAssertEqual(info.description, "host='db1' sslpassword=***")
    }

    func testMalformedStringsAreRefusedWithoutEchoingASecret() {
        for text in ["postgresql://psyx:hunter2secret@[::1/psyx", "host=db1 password='hunter2secret",
                     "postgresql://psyx:hunter2secret@db1/psyx?nonsense=1", "no equals sign here", "mysql://db1/x"] {
            XCTAssertThrowsError(try PostgreSQLConnectionInfo(text), text) { error in
                XCTAssertFalse("\(error)".contains("hunter2secret"), "\(error)")
                XCTAssertEqual((error as? PostgreSQLError)?.kind, .connectFailed)
            }
        }
    }

    func testAnUnreachableServerIsAConnectFailure() throws {
        let info = try PostgreSQLConnectionInfo("postgresql:///psyx?host=/nonexistent-psyx-socket-dir&connect_timeout=2")
        XCTAssertThrowsError(try PostgreSQLConnection(info)) { error in
            XCTAssertEqual((error as? PostgreSQLError)?.kind, .connectFailed)
            XCTAssertTrue("\(error)".contains("/nonexistent-psyx-socket-dir"), "libpq says where it tried: \(error)")
        }
    }
}
