import PeregrineCore

/// Stock and option positions in the risk layer's terms: each underlying's delta-adjusted notional
/// (shares plus option contracts x multiplier x delta, at the underlying's price) and the book's
/// vega, checked against the gross and net exposure limits (options counted by delta-adjusted
/// notional) and the portfolio delta and vega limits. A covered call of 100 shares and one short
/// call of delta 0.3 at 50 is 70 shares' worth, 3,500, of exposure.
public struct OptionBookRisk: Sendable {
    /// One line of the book: shares of an underlying, or option contracts on it with their Greeks
    /// per share (delta; vega per 1.00 of volatility).
    public struct Line: Sendable, Equatable {
        public var underlying: String
        public var spot: Double
        /// Shares for stock; contracts x multiplier x delta for options.
        public var deltaShares: Double
        /// Value change for 1.00 of volatility: contracts x multiplier x vega; zero for stock.
        public var vega: Double

        public static func stock(_ underlying: String, shares: Double, spot: Double) -> Line {
            Line(underlying: underlying, spot: spot, deltaShares: shares, vega: 0)
        }

        public static func option(_ underlying: String, contracts: Double, multiplier: Double = 100, spot: Double, delta: Double,
                                  vega: Double) -> Line {
            Line(underlying: underlying, spot: spot, deltaShares: contracts * multiplier * delta, vega: contracts * multiplier * vega)
        }
    }

    /// What the book amounts to.
    public struct Exposure: Sendable, Equatable {
        /// Sum over underlyings of |delta-adjusted notional|.
        public var gross: Double
        /// Delta-adjusted notional summed with signs: the book's dollar delta.
        public var net: Double
        /// Value change for one volatility point (0.01).
        public var vegaPerPoint: Double
    }

    public let limits: RiskLimits

    public init(limits: RiskLimits) { self.limits = limits }

    /// The book's exposure: lines netted per underlying, then summed.
    public static func exposure(_ lines: [Line]) -> Exposure {
        var byUnderlying: [String: Double] = [:]
        var vega = 0.0
        for line in lines {
            byUnderlying[line.underlying, default: 0] += line.deltaShares * line.spot
            vega += line.vega
        }
        return Exposure(gross: byUnderlying.values.reduce(0) { $0 + abs($1) }, net: byUnderlying.values.reduce(0, +), vegaPerPoint: vega / 100)
    }

    /// Every limit the book breaks at `equity`, each with its key, the figure and the limit; empty
    /// when within them. Equity must be positive and every figure finite. With `before`, the book
    /// the change starts from, a measure already past its limit is refused only if it grows, so an
    /// order that reduces it passes.
    public func problems(_ lines: [Line], equity: Double, before: [Line]? = nil) -> [Rejection] {
        guard equity > 0, equity.isFinite else { return [Rejection(.invalidOrder, "equity \(equity) must be a positive amount")] }
        if let bad = (lines + (before ?? [])).first(where: { !($0.spot.isFinite && $0.deltaShares.isFinite && $0.vega.isFinite) }) {
            return [Rejection(.invalidOrder, "\(bad.underlying): a spot, delta or vega that is not a finite number")]
        }
        let exposure = Self.exposure(lines)
        let start = before.map(Self.exposure)
        var found: [Rejection] = []
        func check(_ code: Rejection.Code, _ key: String, _ value: Double, _ was: Double?, _ limit: Double?, _ what: String) {
            guard let limit, value > limit * equity, value > (was ?? -.infinity) else { return }
            found.append(Rejection(code, "\(key): \(what) \(Self.percent(value / equity)) of equity; limit \(Self.percent(limit))"))
        }
        check(.grossExposure, "max_gross_exposure", exposure.gross, start?.gross, limits.maxGrossExposure, "gross exposure (options delta-adjusted) would be")
        check(.netExposure, "max_net_exposure", abs(exposure.net), start.map { abs($0.net) }, limits.maxNetExposure,
              "net exposure (options delta-adjusted) would be")
        check(.portfolioDelta, "max_portfolio_delta", abs(exposure.net), start.map { abs($0.net) }, limits.maxPortfolioDelta, "dollar delta would be")
        check(.portfolioVega, "max_portfolio_vega", abs(exposure.vegaPerPoint), start.map { abs($0.vegaPerPoint) }, limits.maxPortfolioVega,
              "vega per volatility point would be")
        return found
    }

    static func percent(_ fraction: Double) -> String {
        let tenths = (fraction * 1_000).rounded() / 10
        return "\(tenths)%"
    }
}
