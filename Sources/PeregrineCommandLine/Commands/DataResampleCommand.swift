import ArgumentParser
import PeregrineCore
import PeregrineData

struct DataResampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resample",
        abstract: "Write a bar file at a coarser timeframe: 5Min, 15Min, 30Min, 1H, 4H or 1D.",
        discussion: """
            Each period gets the first open, the highest high, the lowest low, the last close and the \
            summed volume (exact, as decimal text) of the bars that start in it, and is stamped at its \
            start; a period without bars gives no bar, as pandas' resample(label='left', closed='left') \
            followed by dropna() does.

            Periods follow the clock of --timezone (also the zone naive times are read in; \
            --period-timezone sets another): a 1H period starts on the local hour, 4H periods at 00:00, \
            04:00, 08:00 ... local time, and a day is a local calendar date. Day bars are written as \
            their date (read them back with the same --timezone to get local midnight again); intraday \
            bars as ISO 8601 UTC. Across a daylight-saving change periods stay on the local clock, so \
            that day's 00:00 4H bar is an hour shorter or longer.

            The timeframe must be coarser than the file's bar interval and a whole number of it \
            (1-minute bars to 5Min, not 1H bars to 90Min); anything else is refused with the interval found.

            Examples:
              peregrine data resample --data ../shared/data/fesx_1min_2006.csv --to 1H --timezone Europe/Berlin --out fesx_1h.csv
              peregrine data resample --data ../shared/data/fesx_1min_2006.csv --to 1D --timezone Europe/Berlin --out fesx_daily.csv
              peregrine data resample --data ../shared/data/eurusd_1h_2017.csv --to 1D --period-timezone America/New_York --out eurusd_ny_days.csv
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .customLong("to"), help: ArgumentHelp("The timeframe: 5Min, 15Min, 30Min, 1H, 4H, 1D (minutes or hours that divide a day).",
                                                        valueName: "timeframe"))
    var timeframeText: String

    @Option(name: .customLong("period-timezone"), help: ArgumentHelp(
        "Zone whose clock the periods follow (default: --timezone, else UTC).", valueName: "zone"))
    var periodZoneText: String?

    @Option(help: ArgumentHelp("The CSV file to write.", valueName: "file"))
    var out: String

    func run() throws {
        guard let timeframe = Timeframe(timeframeText) else {
            throw ValidationError("--to '\(timeframeText)' is not a timeframe; use \(Timeframe.examples) (minutes or hours that divide a day)")
        }
        guard dataOptions.data.count == 1 else { throw ValidationError("give one --data file to resample") }
        guard dataOptions.data[0] != out else { throw ValidationError("--out is the --data file; write the resampled bars elsewhere") }
        var zone = try dataOptions.loader().reader.zone
        if let periodZoneText {
            guard let spec = TimeZoneSpec(name: periodZoneText) else {
                throw ValidationError("--period-timezone '\(periodZoneText)' is not a known zone; use e.g. UTC, America/New_York, Europe/Berlin or +01:00")
            }
            zone = spec
        }
        let sources = try dataOptions.load()
        guard sources.count == 1, let source = sources.first else {
            throw CLIFailure("--data \(dataOptions.data[0]) holds \(sources.count) files; resample one file at a time")
        }
        let resampler = BarResampler(timeframe: timeframe, zone: zone)
        do {
            let resampled = try resampler.resample(source.series, source: source.name)
            try BarCSVWriter.write(resampled, to: out, timestamps: resampler.timestampStyle)
            print("\(source.name): \(source.series.count) bars to \(resampled.count) \(timeframe) bars on the \(zone) clock: \(out)")
        } catch {
            throw CLIFailure(error.description)
        }
    }
}
