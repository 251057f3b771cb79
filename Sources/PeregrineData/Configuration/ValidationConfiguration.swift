import Foundation
import TOMLKit

/// The `[validation]` table: the validation gate's thresholds, for the live gate of `peregrine trade`
/// and `peregrine run` (read from their configuration) and for `--gate FILE` of backtest, sweep and
/// walk-forward. A key left out keeps the gate's default.
///
/// ```toml
/// [validation]
/// min_trades = 100            # round trips
/// min_win_rate = 0.45
/// min_sharpe = 1.0            # annualized
/// min_oos_ratio = 0.5         # out-of-sample Sharpe over in-sample Sharpe (walk-forward)
/// max_drawdown = 0.25         # a fraction
/// min_deflated_sharpe = 0.95  # for a result chosen among trials (sweep, walk-forward, tune)
/// ```
public struct ValidationSettings: Sendable, Equatable {
    public var minimumTrades: Int?
    public var minimumWinRate: Double?
    public var minimumSharpe: Double?
    public var minimumOutOfSampleRatio: Double?
    public var maximumDrawdown: Double?
    public var minimumDeflatedSharpe: Double?

    public init() {}

    public static let keys = ["min_trades", "min_win_rate", "min_sharpe", "min_oos_ratio", "max_drawdown", "min_deflated_sharpe"]

    /// The file's `[validation]` table; nil when it has none.
    public static func load(path: String) throws(ConfigurationFileError) -> ValidationSettings? {
        try parse(ConfigurationFileError.text(of: path), source: path)
    }

    public static func parse(_ text: String, source: String = "configuration") throws(ConfigurationFileError) -> ValidationSettings? {
        guard let table = try ConfigurationFileError.table("validation", of: text, source: source, known: Set(keys)) else { return nil }
        func number(_ key: String, _ range: ClosedRange<Double>) throws(ConfigurationFileError) -> Double? {
            try ConfigurationFileError.number(table, key, in: range, table: "validation", source: source)
        }
        var settings = ValidationSettings()
        if let value = table["min_trades"] {
            guard let count = value.int, count >= 0, count <= 1_000_000_000 else {
                throw ConfigurationFileError(description: "\(source): validation.min_trades: expected a whole number of round trips, 0 or more")
            }
            settings.minimumTrades = count
        }
        settings.minimumWinRate = try number("min_win_rate", 0...1)
        settings.minimumSharpe = try number("min_sharpe", -100...100)
        settings.minimumOutOfSampleRatio = try number("min_oos_ratio", -100...100)
        settings.maximumDrawdown = try number("max_drawdown", 0...1)
        settings.minimumDeflatedSharpe = try number("min_deflated_sharpe", 0...1)
        return settings
    }
}
