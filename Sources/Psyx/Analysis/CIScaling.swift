/// How a CI's noise is stretched to grey levels before it is laid over the base image (rcicr).
public enum CIScaling: String, Sendable, CaseIterable {
    /// Each CI by its own largest |value| c: (ci + c) / 2c.
    case independent
    /// One c for all of a pack's CIs (the pack CI and every reply's): their largest |value|, so
    /// pictures can be compared by eye.
    case autoscale

    /// Noise scaled by `constant`, combined with the base as (scaled + base) / 2, in grey levels.
    /// A zero constant (no signal at all) leaves the noise at mid-grey.
    static func picture(ci: [Float], base: [Float], constant: Float, width: Int, height: Int) -> GreyImage {
        let count = min(ci.count, base.count, width * height)
        var pixels = [UInt8](repeating: 0, count: width * height)
        let inverse: Float = constant > 0 ? 1 / (2 * constant) : 0
        for pixel in 0..<count {
            let scaled = constant > 0 ? (ci[pixel] + constant) * inverse : 0.5
            let combined = (scaled + base[pixel]) * 0.5
            pixels[pixel] = UInt8(min(max((combined * 255).rounded(), 0), 255))
        }
        return GreyImage(width: width, height: height, pixels: pixels)
    }

    static func largestMagnitude(_ values: [Float]) -> Float {
        values.reduce(0) { max($0, abs($1)) }
    }
}
