import Dispatch
import Foundation

/// The benchmark's pack: a synthetic pack written as image files, its row, and simulated replies
/// (70 % template responders, the rest random, 2 % missed trials) stored through the store.
struct BenchPack {
    let packID: Int64
    let pack: Pack
    let templateResponders: Int
    private let evidence: [Double]

    init(options: BenchCICommand.Options, data: DataDirectory, store: SQLiteStore) throws {
        let synthetic = SyntheticPack(width: options.size, height: options.size, pairs: options.pairs, basisCount: 24, seed: 1)
        let folder = data.packs + "/bench"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pairs = (0..<options.pairs).map {
            PackPair(number: $0 + 1, ori: SyntheticPack.fileName($0, .ori, jpeg: options.jpeg),
                     inv: SyntheticPack.fileName($0, .inv, jpeg: options.jpeg))
        }
        let failed = SendableFlag()
        DispatchQueue.concurrentPerform(iterations: options.pairs) { index in
            let (ori, inv) = synthetic.images(index)
            for (image, name) in [(ori, pairs[index].ori), (inv, pairs[index].inv)] {
                let bytes = try? options.jpeg ? JPEGCodec.encodeGrey(image, quality: 90) : PNGEncoder.encode(image)
                if bytes == nil || !FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(bytes ?? [])) {
                    failed.set()
                }
            }
        }
        if failed.isSet { throw SettingsError("bench-ci: could not write the pack's images") }
        evidence = synthetic.evidence()
        packID = try store.createPack(NewPack(name: "bench", sex: 1, ageMin: 0, ageMax: 120, pairs: pairs)) {}
        guard let pack = try store.pack(id: packID) else { throw SettingsError("bench-ci: pack not stored") }
        self.pack = pack
        templateResponders = options.replies * 7 / 10
        for number in 0..<options.replies { try addReply(number: number, store: store) }
    }

    /// Reply `number` (0-based): a template responder for the first 70 %, random after.
    func addReply(number: Int, store: SQLiteStore) throws {
        let responses = SyntheticPack.responses(seed: 10_000 + UInt64(number), evidence: number < templateResponders ? evidence : nil,
                                                pairs: pack.pairs.count, decisionNoise: 1, missRate: 0.02)
        let answers = SyntheticPack.answersJSON(responses, files: { (pack.pairs[$0].ori, pack.pairs[$0].inv) }, seed: UInt64(number))
        let reply = NewReply(packID: packID, name: "Bench", email: "bench@example.org", no: "bench\(number)", sex: 1, age: 30,
                             phone: "010-0000-0000", answers: answers, layout: .leftRight, submissionID: nil)
        guard case .inserted = try store.insertReply(reply) else { throw SettingsError("bench-ci: reply \(number) not stored") }
    }
}
