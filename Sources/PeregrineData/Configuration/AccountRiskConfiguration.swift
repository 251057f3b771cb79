import Foundation
import TOMLKit

/// The `[account_risk]` table of a `peregrine run` configuration: limits on the whole account, checked
/// across its bots against the broker's equity (each bot's own `[bots.risk]` sees only its own books).
///
/// ```toml
/// [account_risk]
/// daily_loss_limit = 0.03   # the account down 3% from the day's first equity: every bot paused and flattened
/// max_drawdown = 0.10       # the account 10% below its peak equity in this run: the same
/// check_seconds = 5         # how often the broker's account equity is read
/// ```
public struct AccountRiskSettings: Sendable, Equatable {
    public var dailyLossLimit: Double?
    public var maxDrawdown: Double?
    public var checkSeconds = 5.0

    public init(dailyLossLimit: Double? = nil, maxDrawdown: Double? = nil, checkSeconds: Double = 5) {
        self.dailyLossLimit = dailyLossLimit
        self.maxDrawdown = maxDrawdown
        self.checkSeconds = checkSeconds
    }

    public static func load(path: String) throws(ConfigurationFileError) -> AccountRiskSettings? {
        try parse(ConfigurationFileError.text(of: path), source: path)
    }

    public static func parse(_ text: String, source: String = "configuration") throws(ConfigurationFileError) -> AccountRiskSettings? {
        guard let table = try ConfigurationFileError.table("account_risk", of: text, source: source,
                                                           known: ["daily_loss_limit", "max_drawdown", "check_seconds"]) else { return nil }
        func number(_ key: String, _ range: ClosedRange<Double>) throws(ConfigurationFileError) -> Double? {
            try ConfigurationFileError.number(table, key, in: range, table: "account_risk", source: source)
        }
        var settings = AccountRiskSettings(dailyLossLimit: try number("daily_loss_limit", 0.000001...1),
                                           maxDrawdown: try number("max_drawdown", 0.000001...1))
        settings.checkSeconds = try number("check_seconds", 0.05...3600) ?? 5
        guard settings.dailyLossLimit != nil || settings.maxDrawdown != nil else {
            throw ConfigurationFileError(description: "\(source): account_risk: give daily_loss_limit or max_drawdown (fractions, e.g. 0.03)")
        }
        return settings
    }
}
