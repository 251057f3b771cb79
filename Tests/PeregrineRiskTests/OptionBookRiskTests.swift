import PeregrineCore
import PeregrineRisk
import Testing

/// Option positions in exposure by delta-adjusted notional, and the portfolio delta and vega
/// limits, on books worked out by hand.
@Suite struct OptionBookRiskTests {
    /// AAA at 50: 200 shares and 2 short calls of delta 0.3, vega 0.08 per share. BBB at 20: 3 long
    /// puts of delta -0.5, vega 0.05.
    static let book: [OptionBookRisk.Line] = [
        .stock("AAA", shares: 200, spot: 50),
        .option("AAA", contracts: -2, spot: 50, delta: 0.3, vega: 0.08),
        .option("BBB", contracts: 3, spot: 20, delta: -0.5, vega: 0.05),
    ]

    @Test func exposureNetsEachUnderlyingByDelta() {
        let exposure = OptionBookRisk.exposure(Self.book)
        // AAA: (200 - 2 x 100 x 0.3) x 50 = 7,000. BBB: 3 x 100 x (-0.5) x 20 = -3,000.
        #expect(abs(exposure.gross - 10_000) < 1e-9)
        #expect(abs(exposure.net - 4_000) < 1e-9)
        // Vega: -2 x 100 x 0.08 + 3 x 100 x 0.05 = -1 per 1.00 of volatility, -0.01 per point.
        #expect(abs(exposure.vegaPerPoint - (-0.01)) < 1e-12)
        // Shares hedged by a short call of delta 1 carry no exposure.
        let hedged = OptionBookRisk.exposure([.stock("AAA", shares: 100, spot: 50), .option("AAA", contracts: -1, spot: 50, delta: 1, vega: 0)])
        #expect(hedged.gross == 0 && hedged.net == 0)
    }

    @Test func eachLimitIsCheckedWithItsKey() {
        var limits = RiskLimits.none
        limits.maxGrossExposure = 0.8
        limits.maxNetExposure = 0.8
        limits.maxPortfolioDelta = 0.3
        limits.maxPortfolioVega = 0.0000005
        let problems = OptionBookRisk(limits: limits).problems(Self.book, equity: 10_000)
        // Gross 100% > 80%; net 40% within 80%; delta 40% > 30%; vega 0.01 / 10,000 = 1e-6 > 5e-7.
        #expect(problems.map(\.code) == [.grossExposure, .portfolioDelta, .portfolioVega])
        #expect(problems.map { String($0.detail.prefix { $0 != ":" }) } == ["max_gross_exposure", "max_portfolio_delta", "max_portfolio_vega"])
        #expect(problems[0].detail.contains("100.0%") && problems[1].detail.contains("40.0%") && problems[1].detail.contains("limit 30.0%"))
        // At 12,500 of equity the gross is exactly 80%: not past it. Delta 32% still is.
        #expect(OptionBookRisk(limits: limits).problems(Self.book, equity: 12_500).map(\.code) == [.portfolioDelta, .portfolioVega])
        // From a book already past a limit, a change that shrinks the measure passes and one that grows it
        // does not. Without BBB's puts: gross 7,000, delta 7,000, vega -0.16 a point. Adding the puts
        // grows gross to 10,000 (past 80%) but shrinks delta to 4,000 and vega to -0.01: only gross is refused.
        let smaller = Array(Self.book.dropLast())
        #expect(OptionBookRisk(limits: limits).problems(Self.book, equity: 10_000, before: smaller).map(\.code) == [.grossExposure])
        // Selling the puts back grows delta and vega past their limits again: both refused.
        #expect(OptionBookRisk(limits: limits).problems(smaller, equity: 10_000, before: Self.book).map(\.code) == [.portfolioDelta, .portfolioVega])
        #expect(OptionBookRisk(limits: .none).problems(Self.book, equity: 10_000).isEmpty)
    }

    @Test func badFiguresAreNamed() {
        let check = OptionBookRisk(limits: RiskLimits())
        #expect(check.problems(Self.book, equity: 0).first?.detail.contains("equity") == true)
        #expect(check.problems([.option("CCC", contracts: 1, spot: 10, delta: .nan, vega: 0)], equity: 1_000).first?.detail.contains("CCC") == true)
        var limits = RiskLimits()
        limits.maxPortfolioDelta = 0
        limits.maxPortfolioVega = 2
        #expect(limits.validate().contains { $0.hasPrefix("max_portfolio_delta = 0.0") })
        #expect(limits.validate().contains { $0.hasPrefix("max_portfolio_vega = 2.0") })
    }
}
