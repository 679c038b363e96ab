/// Why an image file could not be read or written; the message names no participant data,
/// so it can go to the log as it is.
public struct ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
