/// The limits as configuration key → value text (`daily_loss_limit` → `0.03`, `off` when unset), the
/// `[risk]` table's names, for a control plane to show what a bot runs under.
extension RiskLimits {
    public var described: [String: String] {
        func text(_ value: Double?) -> String { value.map { String($0) } ?? "off" }
        var limits: [String: String] = [
            "max_position": text(maxPositionFraction),
            "max_open_positions": maxOpenPositions.map(String.init) ?? "off",
            "max_gross_exposure": text(maxGrossExposure),
            "max_net_exposure": text(maxNetExposure),
            "max_portfolio_heat": text(maxPortfolioHeat),
            "max_portfolio_delta": text(maxPortfolioDelta),
            "max_portfolio_vega": text(maxPortfolioVega),
            "daily_loss_limit": text(dailyLossLimit),
            "max_drawdown": text(maxDrawdown),
            "price_band": text(priceBand),
            "max_orders_per_minute": maxOrdersPerMinute.map(String.init) ?? "off",
            "refuse_contradictory_positions": String(refuseContradictoryPositions),
            "min_order_notional": minOrderNotional?.description ?? "off",
            "max_order_notional": maxOrderNotional?.description ?? "off",
        ]
        switch reentryCooldown {
        case .seconds(let seconds)?: limits["reentry_cooldown"] = "\(seconds)s"
        case .bars(let bars)?: limits["reentry_cooldown"] = "\(bars) bars"
        case nil: limits["reentry_cooldown"] = "off"
        }
        if let valueAtRisk {
            limits["value_at_risk"] = "\(valueAtRisk.maxFraction) at \(valueAtRisk.confidence)"
                + (valueAtRisk.method == .historical ? "" : " " + valueAtRisk.method.name)
        }
        return limits
    }
}
