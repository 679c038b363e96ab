/// A raw pointer handed to `DispatchQueue.concurrentPerform` workers. Each worker writes only its
/// own disjoint part (or only reads), which is what makes sharing it safe.
struct SendablePointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>

    init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
}
