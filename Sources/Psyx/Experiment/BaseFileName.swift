/// A pack upload's optional base face: `base.jpg`, `base.jpeg` or `base.png` (any case), the base
/// image rcicr made the stimuli from. Stored in the pack folder under its lower-case name, where the
/// analysis looks for it; no pair file can have one of these names.
public enum BaseFileName {
    /// The stored names, in the order the analysis looks for them.
    public static let names = ["base.png", "base.jpg", "base.jpeg"]

    /// The name to store an uploaded file under; nil when it is not a base face.
    public static func stored(_ uploaded: String) -> String? {
        let lower = uploaded.lowercased()
        return names.contains(lower) ? lower : nil
    }
}
