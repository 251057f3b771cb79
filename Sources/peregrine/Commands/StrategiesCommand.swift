import ArgumentParser
import PeregrineStrategies

struct StrategiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategies",
        abstract: "List the built-in strategies and their parameters.",
        discussion: """
            Example:
              peregrine strategies
            """
    )

    func run() {
        for entry in StrategyCatalog.entries {
            print("\(entry.name): \(entry.summary)")
            print("  parameters: \(entry.parameters)")
        }
    }
}
