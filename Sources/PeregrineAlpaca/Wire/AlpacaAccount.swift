import Foundation
import PeregrineCore

/// The parts of `GET /v2/account` the risk engine and reconciliation need, read exactly.
public struct AlpacaAccount: Equatable, Sendable {
    public var id: String
    public var accountNumber: String
    public var status: String
    public var currency: String
    public var cash: Money
    public var equity: Money
    public var lastEquity: Money
    public var buyingPower: Money
    public var portfolioValue: Money
    public var patternDayTrader: Bool
    public var tradingBlocked: Bool
    public var shortingEnabled: Bool

    public static func decode(_ data: Data) throws -> AlpacaAccount {
        let raw = try JSONDecoder().decode(Raw.self, from: data)
        let read = AlpacaFieldReader(document: "account")
        return AlpacaAccount(
            id: raw.id, accountNumber: raw.account_number, status: raw.status, currency: raw.currency,
            cash: try read.money(raw.cash, "cash"), equity: try read.money(raw.equity, "equity"),
            lastEquity: try read.money(raw.last_equity, "last_equity"),
            buyingPower: try read.money(raw.buying_power, "buying_power"),
            portfolioValue: try read.money(raw.portfolio_value ?? raw.equity, "portfolio_value"),
            patternDayTrader: raw.pattern_day_trader ?? false, tradingBlocked: raw.trading_blocked ?? false,
            shortingEnabled: raw.shorting_enabled ?? false)
    }

    struct Raw: Decodable {
        var id: String
        var account_number: String
        var status: String
        var currency: String
        var cash: String
        var equity: String
        var last_equity: String
        var buying_power: String
        var portfolio_value: String?
        var pattern_day_trader: Bool?
        var trading_blocked: Bool?
        var shorting_enabled: Bool?
    }
}
