import Foundation
import PeregrineCore
import TOMLKit

/// The `[account_risk]` table of a `peregrine run` configuration: limits on the whole account, checked
/// across its bots against the broker's equity (each bot's own `[bots.risk]` sees only its own books).
///
/// ```toml
/// [account_risk]
/// daily_loss_limit = 0.03   # the account down 3% from the day's first equity: every bot paused and flattened
/// max_drawdown = 0.10       # the account 10% below its peak equity in this run: the same
/// check_seconds = 5         # how often the broker's account equity is read
/// max_gross_exposure = 250000   # all bots' positions and working orders together, at the last closes:
///                               # an entry that would pass it is refused (account_exposure)
/// ```
public struct AccountRiskSettings: Sendable, Equatable {
    public var dailyLossLimit: Double?
    public var maxDrawdown: Double?
    public var checkSeconds = 5.0
    /// The most all the bots may hold together (gross, in the account's currency), checked before each entry.
    public var maxGrossExposure: Money?

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
                                                           known: ["daily_loss_limit", "max_drawdown", "check_seconds", "max_gross_exposure"]) else { return nil }
        func number(_ key: String, _ range: ClosedRange<Double>) throws(ConfigurationFileError) -> Double? {
            try ConfigurationFileError.number(table, key, in: range, table: "account_risk", source: source)
        }
        var settings = AccountRiskSettings(dailyLossLimit: try number("daily_loss_limit", 0.000001...1),
                                           maxDrawdown: try number("max_drawdown", 0.000001...1))
        settings.checkSeconds = try number("check_seconds", 0.05...3600) ?? 5
        if let raw = table["max_gross_exposure"] {
            let text = raw.int.map(String.init) ?? raw.string ?? raw.double.map { String($0) }
            guard let text, let amount = Money(text), amount > .zero else {
                throw ConfigurationFileError(description: "\(source): account_risk.max_gross_exposure: expected a positive amount such as 250000")
            }
            settings.maxGrossExposure = amount
        }
        guard settings.dailyLossLimit != nil || settings.maxDrawdown != nil || settings.maxGrossExposure != nil else {
            throw ConfigurationFileError(description: "\(source): account_risk: give daily_loss_limit or max_drawdown (fractions, e.g. 0.03), "
                                         + "or max_gross_exposure (an amount)")
        }
        return settings
    }
}
