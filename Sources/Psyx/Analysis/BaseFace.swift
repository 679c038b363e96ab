import Foundation

/// The face a classification image is laid over: rcicr's `combined <- (scaled + base) / 2` needs the
/// base rcicr made the stimuli from, not the pack's mean image.
///
/// rcicr draws each stimulus as `(base + (±noise + 0.3) / 0.6) / 2`, so the mean of a pair is
/// `base/2 + 0.25`: the mean image is a half-contrast face. A pack uploaded with `base.png`/`base.jpg`
/// uses that file, stretched to 0…1 as `generateStimuli2IFC` does by default
/// (`maximize_baseimage_contrast`; a base that already spans black to white is unchanged). Without
/// one the base is recovered as `2·mean − 0.5`: exact for rcicr stimuli wherever they were not clipped.
public struct BaseFace: Equatable, Sendable {
    /// `width × height` values, 0…1.
    public let pixels: [Float]
    /// The uploaded file it came from; nil when recovered from the pack's images.
    public let file: String?

    /// What the CI route says about it (the `X-Psyx-CI-Base` header).
    public var description: String { file.map { "uploaded \($0)" } ?? "recovered" }

    /// `2·mean − 0.5`, kept within 0…1.
    public static func recovered(mean: [Float]) -> BaseFace {
        BaseFace(pixels: mean.map { min(max(2 * $0 - 0.5, 0), 1) }, file: nil)
    }

    /// The uploaded image stretched to 0…1 (a flat image, which the upload refuses, stays as it is).
    public static func uploaded(_ image: GreyImage, file: String) -> BaseFace {
        let low = Float(image.pixels.min() ?? 0), high = Float(image.pixels.max() ?? 255)
        let (offset, scale): (Float, Float) = high > low ? (low, 1 / (high - low)) : (0, 1 / 255)
        return BaseFace(pixels: image.pixels.map { (Float($0) - offset) * scale }, file: file)
    }

    /// The pack folder's base face, decoded; nil when the pack has none.
    static func image(in folder: String) throws(AnalysisError) -> (file: String, image: GreyImage)? {
        guard let file = BaseFileName.names.first(where: { FileManager.default.fileExists(atPath: folder + "/" + $0) }) else {
            return nil
        }
        do throws(ImageError) { return (file, try ImageFile.readGrey(path: folder + "/" + file)) } catch {
            throw .image(file: file, error)
        }
    }
}
