/// The optional base face of an upload (`BaseFileName`), checked after the pairs: one file, a real
/// image of the pack's size, with some contrast (the analysis stretches it to black…white as rcicr does).
extension PackUpload {
    /// The stored base face's name, nil when the upload has none; a 400 naming what is wrong otherwise.
    func checkBase(_ names: [String], folder: String, pairs: [PackPair]) throws -> String? {
        guard let name = names.first else { return nil }
        guard names.count == 1 else {
            throw APIError.badRequest("Invalid Base Image: more than one (\(names.joined(separator: ", ")))")
        }
        let base: GreyImage
        do throws(ImageError) { base = try ImageFile.readGrey(path: folder + "/" + name) } catch {
            throw APIError.badRequest("Invalid Base Image: \(name) cannot be read (\(error.message))")
        }
        guard let first = pairs.first else { return name }
        let image: GreyImage
        do throws(ImageError) { image = try ImageFile.readGrey(path: folder + "/" + first.ori) } catch {
            throw APIError.badRequest("Invalid Image: \(first.ori)")
        }
        guard base.width == image.width, base.height == image.height else {
            throw APIError.badRequest("Invalid Base Image: \(name) is \(base.width)x\(base.height), "
                                      + "the pack images are \(image.width)x\(image.height)")
        }
        guard base.pixels.min() != base.pixels.max() else {
            throw APIError.badRequest("Invalid Base Image: \(name) is a single grey level")
        }
        return name
    }
}
