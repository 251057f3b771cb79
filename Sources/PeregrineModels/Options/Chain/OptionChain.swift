import PeregrineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The listed contracts on one underlying with their quotes, by expiry and strike: where implied
/// volatilities and smiles are read from. Expiries count Actual/365 from `asOf` to the expiration
/// date, as everywhere in the options code.
public struct OptionChain: Sendable {
    /// A contract's quote; the mid is what implied volatilities are solved from.
    public struct Quote: Hashable, Sendable {
        public var symbol: OCCSymbol
        public var bid: Price?
        public var ask: Price?

        public init(symbol: OCCSymbol, bid: Price?, ask: Price?) {
            self.symbol = symbol
            self.bid = bid
            self.ask = ask
        }

        /// (bid + ask) / 2 when both are quoted, not negative, and bid <= ask.
        public var mid: Double? {
            guard let bid, let ask, bid.units >= 0, bid <= ask, ask.units > 0 else { return nil }
            return (bid.doubleValue + ask.doubleValue) / 2
        }
    }

    /// A quote the chain could not turn into an implied volatility, and why.
    public struct Skipped: Hashable, Sendable {
        public var symbol: OCCSymbol
        public var reason: String
    }

    public let underlying: String
    /// Every quote, sorted by expiration, strike, then call before put.
    public let quotes: [Quote]

    public init(underlying: String, quotes: [Quote]) throws(OCCSymbol.Failure) {
        if let stranger = quotes.first(where: { $0.symbol.root != underlying }) {
            throw OCCSymbol.Failure(description: "\(stranger.symbol) is not on \(underlying)")
        }
        let sorted = quotes.sorted { $0.symbol < $1.symbol }
        for index in sorted.indices.dropFirst() where sorted[index].symbol == sorted[index - 1].symbol {
            throw OCCSymbol.Failure(description: "\(sorted[index].symbol) is quoted twice")
        }
        self.underlying = underlying
        self.quotes = sorted
    }

    public var expirations: [CivilDate] { Array(Set(quotes.map(\.symbol.expiration))).sorted() }

    public func strikes(expiring date: CivilDate) -> [Price] {
        Array(Set(quotes.filter { $0.symbol.expiration == date }.map(\.symbol.strike))).sorted()
    }

    public func quote(expiring date: CivilDate, strike: Price, type: OptionType) -> Quote? {
        quotes.first { $0.symbol.expiration == date && $0.symbol.strike == strike && $0.symbol.type == type }
    }

    /// Years from `asOf` to an expiration, Actual/365.
    public static func years(from asOf: CivilDate, to expiration: CivilDate) -> Double {
        Double(expiration.daysSinceEpoch - asOf.daysSinceEpoch) / 365
    }

    /// The implied volatilities of one expiration's out-of-the-money quotes (puts below the
    /// forward, calls at and above it, where prices carry the most time value), from their mids.
    public func smilePoints(expiring date: CivilDate, spot: Double, rate: Double, dividend: Double,
                            asOf: CivilDate) -> (points: [VolatilitySmile.Point], skipped: [Skipped]) {
        let expiry = Self.years(from: asOf, to: date)
        let forward = spot * exp((rate - dividend) * expiry)
        var points: [VolatilitySmile.Point] = [], skipped: [Skipped] = []
        for quote in quotes where quote.symbol.expiration == date {
            let strike = quote.symbol.strike.doubleValue
            guard (quote.symbol.type == .put) == (strike < forward) else { continue }
            guard let mid = quote.mid else {
                skipped.append(Skipped(symbol: quote.symbol, reason: "no two-sided quote"))
                continue
            }
            let inputs = OptionInputs(spot: spot, strike: strike, volatility: 0, rate: rate, dividend: dividend, expiry: expiry)
            do {
                points.append(VolatilitySmile.Point(strike: strike, volatility: try ImpliedVolatility.solve(quote.symbol.type, price: mid, inputs: inputs)))
            } catch {
                skipped.append(Skipped(symbol: quote.symbol, reason: error.description))
            }
        }
        return (points, skipped)
    }

    /// A smile per expiration that has enough usable quotes, with what was skipped.
    public func smiles(spot: Double, rate: Double, dividend: Double,
                       asOf: CivilDate) -> (smiles: [CivilDate: VolatilitySmile], skipped: [Skipped]) {
        var smiles: [CivilDate: VolatilitySmile] = [:], skipped: [Skipped] = []
        for date in expirations where date > asOf {
            let read = smilePoints(expiring: date, spot: spot, rate: rate, dividend: dividend, asOf: asOf)
            skipped += read.skipped
            let forward = spot * exp((rate - dividend) * Self.years(from: asOf, to: date))
            if let smile = try? VolatilitySmile(points: read.points, forward: forward) { smiles[date] = smile }
        }
        return (smiles, skipped)
    }

    /// Raw SVI smiles per expiration (`SVISmile`), from the same points as `smiles`; an expiration whose
    /// quotes cannot be fitted (fewer than five strikes) is listed as skipped with the reason.
    public func sviSmiles(spot: Double, rate: Double, dividend: Double,
                          asOf: CivilDate) -> (smiles: [CivilDate: SVISmile], skipped: [Skipped], unfitted: [CivilDate: String]) {
        var smiles: [CivilDate: SVISmile] = [:], skipped: [Skipped] = [], unfitted: [CivilDate: String] = [:]
        for date in expirations where date > asOf {
            let read = smilePoints(expiring: date, spot: spot, rate: rate, dividend: dividend, asOf: asOf)
            skipped += read.skipped
            let expiry = Self.years(from: asOf, to: date)
            let forward = spot * exp((rate - dividend) * expiry)
            do { smiles[date] = try SVISmile(points: read.points, forward: forward, expiry: expiry) } catch { unfitted[date] = error.description }
        }
        return (smiles, skipped, unfitted)
    }
}
