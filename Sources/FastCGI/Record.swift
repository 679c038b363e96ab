/// One FastCGI record: the unit of the protocol (FastCGI 1.0, section 3.3).
///
/// `type` is kept raw so that records of types this library does not know can
/// still be decoded and answered with UNKNOWN_TYPE.
public struct Record: Equatable, Sendable {
    public var type: UInt8
    public var requestID: UInt16
    public var content: [UInt8]

    public init(type: UInt8, requestID: UInt16, content: [UInt8] = []) {
        self.type = type
        self.requestID = requestID
        self.content = content
    }

    public init(_ type: RecordType, requestID: UInt16, content: [UInt8] = []) {
        self.init(type: type.rawValue, requestID: requestID, content: content)
    }

    /// The known type, or nil for a type outside FastCGI 1.0.
    public var kind: RecordType? { RecordType(rawValue: type) }

    /// The only protocol version there is.
    public static let version: UInt8 = 1
    /// Size of the fixed record header.
    public static let headerLength = 8
    /// Largest content a single record can carry.
    public static let maxContentLength = 65535
}

/// Record types of FastCGI 1.0.
public enum RecordType: UInt8, Sendable {
    case beginRequest = 1
    case abortRequest = 2
    case endRequest = 3
    case params = 4
    case stdin = 5
    case stdout = 6
    case stderr = 7
    case data = 8
    case getValues = 9
    case getValuesResult = 10
    case unknownType = 11
}

/// Roles a BEGIN_REQUEST can ask for; this library serves only the responder.
public enum Role: UInt16, Sendable {
    case responder = 1
    case authorizer = 2
    case filter = 3
}

/// The protocolStatus of END_REQUEST.
public enum ProtocolStatus: UInt8, Sendable {
    case requestComplete = 0
    case cantMultiplexConnection = 1
    case overloaded = 2
    case unknownRole = 3
}
