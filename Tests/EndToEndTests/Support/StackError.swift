/// Why the end-to-end stack could not be set up or torn down; the message says
/// what to do about it, since it is all a failing CI run shows.
struct StackError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
