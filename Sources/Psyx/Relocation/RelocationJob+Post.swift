/// What `/post_sentence` decides, the same for every store; the stores only read and write.
extension RelocationJob {
    /// The job a post writes for `content` at `count`: `done` at once when the content already sits in
    /// the chosen level, else `update`, unclaimed.
    init(posting count: Int64, for content: Content, to choice: LevelSet.Choice) {
        self.init(cid: content.cid, count: count, target: choice.level.name, dbLevel: content.level,
                  filename: content.filename, status: choice.level.name == content.level ? .done : .update)
    }
}

extension LevelSet {
    /// The level for a posted count; no levels at all is the server's problem (a 500), not the client's.
    func choiceForPost(count: Int64) throws -> Choice {
        guard let choice = choose(count: count) else {
            throw StoreError.failure("no level holds count \(count) (are levels defined?)")
        }
        return choice
    }
}
