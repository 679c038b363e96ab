/// A command-line mistake, printed as `psyx: <message>`.
public struct CommandError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
