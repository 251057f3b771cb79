import PeregrineCore

/// The name every shard of a sweep derives on its own, so N machines started with the same command
/// write under one id without talking to each other: a stable hash of the options that decide the
/// results (grid, search and seed, strategy and run options, in the order given), of every bar the
/// sweep runs on (symbol, time, open, high, low, close, volume), and of the number of shards.
public enum SweepIdentity {
    /// `sweep-` and 16 hexadecimal digits.
    public static func derive(options: [String], series: [BarSeries], shards: Int) -> String {
        id(fingerprint: fingerprint(options: options, series: series, shards: shards))
    }

    /// The id a fingerprint derives.
    public static func id(fingerprint: String) -> String { "sweep-" + fingerprint }

    /// The hash alone: also kept beside an id given by hand, so shards of different sweeps never mix.
    public static func fingerprint(options: [String], series: [BarSeries], shards: Int) -> String {
        var hash = StableHash()
        hash.combine("options")
        hash.combine(Int64(options.count))
        for option in options { hash.combine(option) }
        hash.combine("series")
        hash.combine(Int64(series.count))
        for bars in series {
            hash.combine(bars.instrument.symbol)
            hash.combine(Int64(bars.count))
            for column in [bars.timestamps, bars.opens, bars.highs, bars.lows, bars.closes] {
                for value in column { hash.combine(value) }
            }
            for volume in bars.volumes {
                hash.combine(Int64(truncatingIfNeeded: volume))
                hash.combine(Int64(truncatingIfNeeded: volume >> 64))
            }
        }
        hash.combine("shards")
        hash.combine(Int64(shards))
        return hash.hex
    }
}
