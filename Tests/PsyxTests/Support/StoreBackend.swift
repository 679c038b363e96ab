/// The databases the stores run on; the shared store scenarios (experiment and relocation) run on each.
enum StoreBackend: String {
    case sqlite = "SQLite"
    case postgresql = "PostgreSQL"
}

/// An error a scenario throws on purpose (a failed folder move, a client gone), told apart by name.
struct ScenarioError: Error, Equatable {
    let name: String
}
