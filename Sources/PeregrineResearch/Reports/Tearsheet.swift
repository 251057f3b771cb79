import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// One self-contained HTML page about a run: headline figures and the validation verdict, equity
/// against buy-and-hold, drawdown, monthly returns, the distribution of returns, rolling Sharpe and
/// volatility, the last bars as candles with the trades marked, and the trades themselves. Charts are
/// inline SVG drawn here; the page has no script and fetches nothing.
public struct Tearsheet {
    public let result: BacktestResult
    public let series: [BarSeries]
    public let title: String
    public let verdict: ValidationGate.Verdict
    /// More sections (a Monte Carlo fan chart, walk-forward windows) as titled HTML fragments.
    public var extraSections: [(title: String, html: String)] = []
    /// For a result chosen among many trials (sweep, walk-forward, tune): its deflated Sharpe and
    /// probability of overfitting, shown beside the probabilistic Sharpe every run gets.
    public var significance: (deflated: DeflatedSharpeRatio?, overfitting: Double?)?
    /// The equity curve as (time, equity) and its per-step returns, read once for every chart.
    private let points: [(time: Double, equity: Double)]
    private let returns: [Double]

    public init(result: BacktestResult, series: [BarSeries], title: String, verdict: ValidationGate.Verdict) {
        self.result = result
        self.series = series
        self.title = title
        self.verdict = verdict
        points = result.equity.map { (Double($0.timestamp.nanoseconds), $0.equity.doubleValue) }
        returns = zip(points.dropFirst(), points).map { $1.equity > 0 ? $0.equity / $1.equity - 1 : 0 }
    }

    public func render() -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(HeatmapSVG.escape(title))</title>
        <style>
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 960px; color: #1d2733; background: #fff; }
        h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid #dde3ea; padding-bottom: 4px; }
        .sub { color: #5b6b7c; margin-bottom: 16px; }
        .metrics { display: grid; grid-template-columns: repeat(5, 1fr); gap: 8px; }
        .metric { background: #f4f7fa; border-radius: 6px; padding: 8px 10px; } .metric b { display: block; font-size: 17px; }
        .metric span { color: #5b6b7c; font-size: 12px; }
        .verdict { padding: 10px 14px; border-radius: 6px; margin-top: 14px; font-weight: 600; }
        .go { background: #e3f4e6; color: #1b5e20; } .nogo { background: #fdecea; color: #8e1c1c; }
        svg { display: block; max-width: 100%; height: auto; } svg .title { font-size: 13px; font-weight: 600; fill: #1d2733; }
        svg .grid { stroke: #e6ebf0; } svg .axis { stroke: #7a8896; } svg text { fill: #4a5866; }
        table { border-collapse: collapse; font-size: 12px; width: 100%; } th, td { padding: 4px 6px; text-align: right; border-bottom: 1px solid #eef1f4; }
        th { color: #5b6b7c; font-weight: 600; } td.left, th.left { text-align: left; }
        </style></head><body>

        """
        html += "<h1>\(HeatmapSVG.escape(title))</h1>\n"
        html += "<div class=\"sub\">\(HeatmapSVG.escape(period)) · \(result.bars) bars · \(result.instruments.map(\.symbol).joined(separator: ", "))</div>\n"
        html += metrics()
        html += "<div class=\"verdict \(verdict.passed ? "go" : "nogo")\">Validation: \(HeatmapSVG.escape(verdict.description))</div>\n"
        html += "<h2>Equity</h2>\n" + equityChart() + drawdownChart()
        html += "<h2>Monthly returns</h2>\n" + monthlyTable()
        html += "<h2>Returns</h2>\n" + distributionChart() + rollingCharts()
        html += "<h2>Price and trades</h2>\n" + candleChart()
        for section in extraSections { html += "<h2>\(HeatmapSVG.escape(section.title))</h2>\n" + section.html }
        html += "<h2>Trades</h2>\n" + tradesTable()
        return html + "</body></html>\n"
    }

    // MARK: - Data

    private var period: String {
        guard let first = result.equity.first, let last = result.equity.last else { return "no bars" }
        return "\(first.timestamp.compactDescription.prefix(10)) to \(last.timestamp.compactDescription.prefix(10))"
    }

    private static func percent(_ value: Double, places: Int = 2) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return String(Double(Int((value * 100 * scale).rounded())) / scale) + "%"
    }

    // MARK: - Sections

    private func metrics() -> String {
        let r = result.metrics.returns, t = result.metrics.trades
        let items: [(String, String)] = [
            ("total return", Self.percent(r.totalReturn)), ("annual return", Self.percent(r.annualReturn)),
            ("annual volatility", Self.percent(r.annualVolatility)), ("Sharpe", ChartCanvas.number(r.sharpe)),
            ("Sortino", ChartCanvas.number(r.sortino)), ("max drawdown", Self.percent(r.maxDrawdown)),
            ("Calmar", ChartCanvas.number(r.calmar)), ("round trips", "\(t.roundTrips)"), ("win rate", Self.percent(t.winRate)),
            ("profit factor", ChartCanvas.number(t.profitFactor)),
        ] + significanceItems()
        return "<div class=\"metrics\">" + items.map { "<div class=\"metric\"><b>\($0.1)</b><span>\($0.0)</span></div>" }.joined()
            + "</div>\n"
    }

    /// The probabilistic Sharpe against zero (per-bar Sharpe, skew and kurtosis), the minimum track
    /// record, and for a chosen result the deflated Sharpe and the probability of overfitting.
    private func significanceItems() -> [(String, String)] {
        let psr = result.metrics.returns.probabilisticSharpe
        let record = psr.minimumTrackRecord()
        var items: [(String, String)] = [
            ("Sharpe per bar", ChartCanvas.number(psr.sharpe)),
            ("probabilistic Sharpe (> 0)", Self.percent(psr.probability) + " (z " + ChartCanvas.number(psr.zScore) + ")"),
            ("min track record (95%)", ProbabilisticSharpeRatio.describeTrackRecord(record, periods: psr.periods)),
        ]
        if let deflated = significance?.deflated {
            items.append(("deflated Sharpe (\(deflated.trials) trials)", Self.percent(deflated.probability)))
        }
        if let overfitting = significance?.overfitting {
            items.append(("probability of overfitting", Self.percent(overfitting)))
        }
        return items
    }

    private func equityChart() -> String {
        let data = points
        guard let first = data.first, let last = data.last else { return "<p>No equity.</p>" }
        var benchmark: [(Double, Double)] = []
        if let prices = series.first, prices.count > 0 {
            let start = Double(prices.closes[0])
            let scale = first.equity / start
            benchmark = (0..<prices.count).map { (Double(prices.timestamps[$0]), Double(prices.closes[$0]) * scale) }
        }
        let values = data.map(\.equity) + benchmark.map(\.1)
        var canvas = ChartCanvas(x: first.time...last.time, y: (values.min() ?? 0)...(values.max() ?? 1))
        canvas.axes(yLabel: { ChartCanvas.compact($0) }, title: "Equity against buy-and-hold of \(series.first?.instrument.symbol ?? "")")
        canvas.line(benchmark, color: "#9aa5b1")
        canvas.line(data.map { ($0.time, $0.equity) }, color: "#1565c0", width: 2)
        canvas.legend([("strategy", "#1565c0"), ("buy and hold", "#9aa5b1")])
        return canvas.svg
    }

    private func drawdownChart() -> String {
        let data = points
        guard let first = data.first, let last = data.last else { return "" }
        var peak = -Double.infinity
        let drawdown = data.map { point -> (Double, Double) in
            peak = max(peak, point.equity)
            return (point.time, peak > 0 ? point.equity / peak - 1 : 0)
        }
        var canvas = ChartCanvas(height: 180, x: first.time...last.time, y: min(drawdown.map(\.1).min() ?? 0, -0.0001)...0)
        canvas.axes(yLabel: { Self.percent($0, places: 1) }, title: "Drawdown")
        canvas.line(drawdown, color: "#c62828", fill: "#ef9a9a")
        return canvas.svg
    }

    /// Month-end equity against the previous month-end, by year; a year's total compounds its months.
    private func monthlyTable() -> String {
        var monthEnds: [(year: Int, month: Int, equity: Double)] = []
        for point in result.equity {
            let day = CivilDate(daysSinceEpoch: point.timestamp.nanoseconds / Timestamp.nanosPerDay - (point.timestamp.nanoseconds < 0 ? 1 : 0))
            if let last = monthEnds.last, last.year == day.year, last.month == day.month {
                monthEnds[monthEnds.count - 1].equity = point.equity.doubleValue
            } else {
                monthEnds.append((day.year, day.month, point.equity.doubleValue))
            }
        }
        guard !monthEnds.isEmpty else { return "<p>No returns.</p>" }
        var previous = result.metrics.initialEquity.doubleValue
        var table: [Int: [Int: Double]] = [:]
        for end in monthEnds {
            table[end.year, default: [:]][end.month] = previous > 0 ? end.equity / previous - 1 : 0
            previous = end.equity
        }
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var html = "<table><tr><th class=\"left\">year</th>" + names.map { "<th>\($0)</th>" }.joined() + "<th>year</th></tr>\n"
        for year in table.keys.sorted() {
            let months = table[year]!
            let total = months.values.reduce(1) { $0 * (1 + $1) } - 1
            html += "<tr><td class=\"left\">\(year)</td>"
            for month in 1...12 {
                guard let value = months[month] else { html += "<td></td>"; continue }
                html += "<td style=\"background:\(Self.shade(value))\">\(Self.percent(value, places: 2))</td>"
            }
            html += "<td style=\"background:\(Self.shade(total / 4))\"><b>\(Self.percent(total, places: 2))</b></td></tr>\n"
        }
        return html + "</table>\n"
    }

    /// Green for gains, red for losses, stronger with size (saturating at ±5%).
    private static func shade(_ value: Double) -> String {
        let strength = min(abs(value) / 0.05, 1)
        let other = Int(255 - 120 * strength)
        return value >= 0 ? "rgb(\(other),255,\(other))" : "rgb(255,\(other),\(other))"
    }

    private func distributionChart() -> String {
        let values = returns.filter(\.isFinite)
        guard let low = values.min(), let high = values.max(), high > low else { return "<p>No return distribution (flat equity).</p>" }
        let bins = 41
        var counts = Array(repeating: 0, count: bins)
        for value in values { counts[min(bins - 1, Int((value - low) / (high - low) * Double(bins)))] += 1 }
        let width = (high - low) / Double(bins)
        var canvas = ChartCanvas(height: 220, x: low...high, y: 0...Double(counts.max() ?? 1))
        canvas.axes(yLabel: { "\(Int($0.rounded()))" }, dates: false, title: "Distribution of per-bar returns")
        for (index, count) in counts.enumerated() where count > 0 {
            let start = low + Double(index) * width
            canvas.bar(from: start, to: start + width, height: Double(count), color: start + width / 2 >= 0 ? "#43a047" : "#e53935")
        }
        for k in 0...4 {
            let value = low + (high - low) * Double(k) / 4
            canvas.text(at: value, "\(Self.percent(value, places: 2))")
        }
        return canvas.svg
    }

    private func rollingCharts() -> String {
        let r = returns, data = points
        let window = max(5, min(63, r.count / 4))
        guard r.count > window else { return "" }
        var sharpe: [(Double, Double)] = [], volatility: [(Double, Double)] = []
        var sum = 0.0, squares = 0.0
        let annual = result.periodsPerYear
        for t in 0..<r.count {
            sum += r[t]
            squares += r[t] * r[t]
            if t >= window {
                sum -= r[t - window]
                squares -= r[t - window] * r[t - window]
            }
            guard t >= window - 1 else { continue }
            let mean = sum / Double(window)
            let sd = max(0, squares / Double(window) - mean * mean).squareRoot()
            let time = data[t + 1].time
            volatility.append((time, sd * annual.squareRoot()))
            sharpe.append((time, sd > 0 ? mean / sd * annual.squareRoot() : 0))
        }
        var sharpeCanvas = ChartCanvas(height: 200, x: sharpe[0].0...sharpe[sharpe.count - 1].0,
                                       y: (sharpe.map(\.1).min() ?? 0)...(sharpe.map(\.1).max() ?? 1))
        sharpeCanvas.axes(yLabel: { ChartCanvas.number($0) }, title: "Rolling Sharpe (\(window) bars, annualized)")
        sharpeCanvas.line(sharpe, color: "#6a1b9a")
        var volatilityCanvas = ChartCanvas(height: 200, x: volatility[0].0...volatility[volatility.count - 1].0,
                                           y: 0...(volatility.map(\.1).max() ?? 1))
        volatilityCanvas.axes(yLabel: { Self.percent($0, places: 1) }, title: "Rolling volatility (\(window) bars, annualized)")
        volatilityCanvas.line(volatility, color: "#00838f")
        return sharpeCanvas.svg + volatilityCanvas.svg
    }

    /// The last 150 bars of the first instrument as candles, with its fills marked.
    /// The last 150 bars of each instrument (the first four of a portfolio) with its fills marked.
    private func candleChart() -> String {
        let shown = series.prefix(4).enumerated().filter { $0.element.count > 0 }
        guard !shown.isEmpty else { return "<p>No prices.</p>" }
        var html = shown.map { candles(of: $0.element, instrument: InstrumentID($0.offset)) }.joined()
        if series.count > 4 { html += "<p>\(series.count - 4) more instruments are not drawn.</p>\n" }
        return html
    }

    private func candles(of prices: BarSeries, instrument: InstrumentID) -> String {
        let from = max(0, prices.count - 150)
        let bars = (from..<prices.count).map { prices[$0] }
        let lows = bars.map { $0.low.doubleValue }, highs = bars.map { $0.high.doubleValue }
        var canvas = ChartCanvas(height: 320, x: Double(from) - 1...Double(prices.count), y: (lows.min() ?? 0)...(highs.max() ?? 1))
        canvas.axes(yLabel: { ChartCanvas.number($0) }, dates: false, title: "\(prices.instrument.symbol): last \(bars.count) bars and fills")
        let candleWidth = max(1, (canvas.width - canvas.left - canvas.right) / Double(bars.count + 2) * 0.6)
        for (offset, bar) in bars.enumerated() {
            canvas.candle(at: Double(from + offset), width: candleWidth, open: bar.open.doubleValue, high: bar.high.doubleValue,
                          low: bar.low.doubleValue, close: bar.close.doubleValue)
        }
        let firstTime = prices.timestamps[from]
        var index = from
        for fill in result.fills where fill.instrument == instrument && fill.timestamp.nanoseconds >= firstTime {
            while index + 1 < prices.count, prices.timestamps[index + 1] <= fill.timestamp.nanoseconds { index += 1 }
            let bar = prices[index]
            canvas.marker(at: Double(index), price: fill.side == .buy ? bar.low.doubleValue : bar.high.doubleValue, up: fill.side == .buy)
        }
        canvas.text(at: Double(from) + 4, "\(Timestamp(nanoseconds: firstTime).compactDescription.prefix(10))")
        canvas.text(at: Double(prices.count) - 5, "\(Timestamp(nanoseconds: prices.timestamps[prices.count - 1]).compactDescription.prefix(10))")
        return canvas.svg
    }

    private func tradesTable() -> String {
        let trips = result.roundTrips.suffix(50)
        guard !trips.isEmpty else { return "<p>No closed round trips.</p>" }
        var html = "<p class=\"sub\">The last \(trips.count) of \(result.roundTrips.count) round trips.</p>\n"
        html += "<table><tr><th class=\"left\">entry</th><th class=\"left\">exit</th><th class=\"left\">symbol</th><th class=\"left\">side</th>"
            + "<th>quantity</th><th>entry price</th><th>exit price</th><th>net P&amp;L</th><th>return</th><th>bars</th></tr>\n"
        for trip in trips {
            let pnl = trip.netPnL.doubleValue
            html += "<tr><td class=\"left\">\(trip.entryTime.compactDescription)</td><td class=\"left\">\(trip.exitTime?.compactDescription ?? "")</td>"
                + "<td class=\"left\">\(HeatmapSVG.escape(result.instruments[trip.instrument.index].symbol))</td>"
                + "<td class=\"left\">\(trip.direction.rawValue)</td><td>\(trip.entryQuantity)</td><td>\(trip.averageEntryPrice)</td>"
                + "<td>\(trip.averageExitPrice.map { "\($0)" } ?? "")</td>"
                + "<td style=\"color:\(pnl >= 0 ? "#1b5e20" : "#b71c1c")\">\(trip.netPnL.formatted(places: 2))</td>"
                + "<td>\(Self.percent(trip.returnOnEntry))</td><td>\(trip.barsHeld.map(String.init) ?? "")</td></tr>\n"
        }
        return html + "</table>\n"
    }
}
