import PeregrineModels

/// An option strategy's payoff diagram as a self-contained SVG, drawn on the tearsheet's chart
/// canvas: profit at the horizon (the payoff) and profit today at model value against the
/// underlying's price, with the zero line, the spot, the strikes and the break-evens marked.
public enum PayoffDiagramSVG {
    public static func render(_ strategy: OptionStrategy, title: String) -> String {
        let strikes = strategy.legs.compactMap { if case .option(_, let strike, _) = $0.instrument { strike } else { nil } }
        let breakEvens = strategy.breakEvens
        let marks = strikes + breakEvens + [strategy.market.spot]
        let low = 0.7 * (marks.min() ?? strategy.market.spot), high = 1.3 * (marks.max() ?? strategy.market.spot)
        let horizon = strategy.horizon
        let spots = (0...300).map { low + (high - low) * Double($0) / 300 }
        let atHorizon = spots.map { ($0, strategy.profit(spot: $0, time: horizon)) }
        let today = spots.map { ($0, strategy.profit(spot: $0, time: 0)) }
        let values = (atHorizon + today).map(\.1)
        var canvas = ChartCanvas(width: 760, height: 380, x: low...high, y: min(0, values.min() ?? 0)...max(0, values.max() ?? 0))
        canvas.axes(yLabel: { ChartCanvas.compact($0) }, dates: false, title: title)
        canvas.line([(low, 0), (high, 0)], color: "#7a8896", width: 1)
        let spot = strategy.market.spot
        for strike in Set(strikes).sorted() where strike != spot {
            canvas.verticalLine(at: strike, color: "#b0bec5", label: "K \(ChartCanvas.number(strike))")
        }
        canvas.verticalLine(at: spot, color: "#1565c0", label: strikes.contains(spot) ? "K = spot \(ChartCanvas.number(spot))" : "spot")
        canvas.line(today, color: "#ef6c00", width: 1.5)
        canvas.line(atHorizon, color: "#2e7d32", width: 2)
        for point in breakEvens where point >= low && point <= high {
            canvas.dot(at: point, value: 0, color: "#6a1b9a", title: "break-even \(ChartCanvas.number(point))")
            canvas.text(at: point, "BE \(ChartCanvas.number(point))")
        }
        for k in [0, 4] {
            let value = low + (high - low) * Double(k) / 4
            canvas.text(at: value, ChartCanvas.number(value))
        }
        canvas.legend([("profit at the horizon", "#2e7d32"), ("profit today (model)", "#ef6c00")])
        return canvas.standaloneSVG
    }
}
