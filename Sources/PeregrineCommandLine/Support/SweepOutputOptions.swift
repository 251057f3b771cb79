import ArgumentParser

/// Where a sweep keeps its rows and writes its files. `sweep` and `sweep collect` share the group:
/// the parser hands `sweep`'s values to collect, so `peregrine sweep collect --store FILE --out DIR`
/// reads as it is written.
struct SweepOutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The store: a sweep keeps every combination's row there (a run of kind sweep); with --shard, the "
        + "shard's rows for collect; collect reads them from it.", valueName: "file"))
    var store: String?

    @Option(help: ArgumentHelp("Folder for results.csv, summary.json and heatmap.svg.", valueName: "dir"))
    var out: String?

    @Option(help: "Rows of the ranking to print.")
    var top: Int = 10

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
    }
}
