import PeregrineCore
import PeregrineModels

/// How option contracts are priced where there are no option quotes (the local exchange, backtests):
/// the American value (no dividend, a constant rate) on the underlying's latest price, with the
/// underlying's realized volatility as the volatility. The market is model-priced: there are no
/// option quotes, every trade and mark is the model's price rounded to the cent, at least 0.01 while
/// the contract lives.
///
/// Contracts are American, as US equity options are. Without a dividend a call is never worth
/// exercising early, nor is a put at a rate of zero or below, so both are Black-Scholes-Merton's
/// European value exactly; a put at a positive rate is Barone-Adesi-Whaley's American value (above
/// the European by the early-exercise premium). A contract expires at 16:00 New York on its
/// expiration date; time to it is counted in calendar days over 365.
public struct OptionPricingModel: Sendable {
    /// The continuously compounded risk-free rate.
    public var rate: Double = 0
    /// Returns in the realized-volatility window.
    public var window = 30
    /// The volatility used until the underlying has `minimumReturns` returns.
    public var fallbackVolatility = 0.30
    public var minimumReturns = 5

    public init(rate: Double = 0) { self.rate = rate }

    /// Annualized close-to-close volatility of the last `window` returns of `closes`, with bars
    /// `interval` nanoseconds apart: a daily bar is one of 252 a year, an intraday bar one of
    /// 252 sessions of 6.5 hours. Clamped to [0.01, 5]; the fallback while history is short.
    public func volatility(closes: [Double], interval: Int64) -> Double {
        let recent = Array(closes.suffix(window + 1))
        guard recent.count > minimumReturns, recent.allSatisfy({ $0 > 0 && $0.isFinite }), interval > 0 else { return fallbackVolatility }
        let perYear = interval >= Timestamp.nanosPerDay
            ? 252 * Double(Timestamp.nanosPerDay) / Double(interval)
            : 252 * 6.5 * 3_600 * 1e9 / Double(interval)
        guard let sigma = try? HistoricalVolatility.annualized(closes: recent, periodsPerYear: perYear), sigma.isFinite else {
            return fallbackVolatility
        }
        return min(max(sigma, 0.01), 5)
    }

    /// The instant a contract expiring on `date` stops trading: 16:00 New York.
    public static func expiry(of date: CivilDate) -> Timestamp {
        let localSeconds = date.daysSinceEpoch * 86_400 + 16 * 3_600
        return ZoneRule.usEastern.utc(fromLocalSeconds: localSeconds)
    }

    /// Years from `now` to the contract's expiry (zero after it).
    public static func yearsToExpiry(_ contract: OCCSymbol, at now: Timestamp) -> Double {
        let nanos = expiry(of: contract.expiration).nanoseconds - now.nanoseconds
        return max(Double(nanos), 0) / (365 * Double(Timestamp.nanosPerDay))
    }

    /// Whether early exercise can be worth more than holding: a put at a positive rate (no
    /// dividend is modeled, so never a call).
    public func exercisesEarly(_ type: OptionType) -> Bool { type == .put && rate > 0 }

    func modelInputs(_ contract: OCCSymbol, spot: Price, volatility: Double, at now: Timestamp) -> OptionInputs {
        OptionInputs(spot: spot.doubleValue, strike: contract.strike.doubleValue, volatility: volatility, rate: rate,
                     expiry: Self.yearsToExpiry(contract, at: now))
    }

    /// The model's American value per share, unrounded, with its Greeks (Barone-Adesi-Whaley's by
    /// central differences when exercise can come early, Black-Scholes-Merton's otherwise).
    public func valuation(_ contract: OCCSymbol, spot: Price, volatility: Double, at now: Timestamp) -> OptionValuation {
        let inputs = modelInputs(contract, spot: spot, volatility: volatility, at: now)
        return exercisesEarly(contract.type) ? BaroneAdesiWhaley.value(contract.type, inputs) : BlackScholesMerton.value(contract.type, inputs)
    }

    /// The model's American value per share, unrounded, without the Greeks.
    public func value(_ contract: OCCSymbol, spot: Price, volatility: Double, at now: Timestamp) -> Double {
        let inputs = modelInputs(contract, spot: spot, volatility: volatility, at: now)
        return exercisesEarly(contract.type) ? BaroneAdesiWhaley.price(contract.type, inputs) : BlackScholesMerton.value(contract.type, inputs).price
    }

    /// The price the exchange trades and marks at: the model's value rounded to the cent, at least
    /// 0.01 before expiry; after expiry the intrinsic value.
    public func price(_ contract: OCCSymbol, spot: Price, volatility: Double, at now: Timestamp) -> Price {
        let perShare = value(contract, spot: spot, volatility: volatility, at: now)
        let cent = Price.scale / 100
        let cents = perShare.isFinite ? (perShare * 100).rounded() : 0
        let rounded = Price(units: Int64(min(max(cents, 0), 1e9)) * cent)
        let expired = Self.yearsToExpiry(contract, at: now) == 0
        return expired || rounded.units >= cent ? rounded : Price(units: cent)
    }
}
