import Psyx
import PsyxTestSupport

extension PackFixture {
    /// `synthetic`'s pairs as PNG files: a pack the analysis can draw a classification image of.
    init(name: String, synthetic: SyntheticPack) {
        self.init(name: name, pairs: synthetic.pairs)
        imageBytes = { number, side in
            let images = synthetic.images(number - 1)
            return (try? PNGEncoder.encode(side == "ori" ? images.ori : images.inv)) ?? []
        }
    }
}
