import PeregrineCore

/// The walk-forward part of a tearsheet: the chosen parameters window by window (stable choices
/// draw flat lines), in-sample against out-of-sample Sharpe per window (the gap is the overfit),
/// the summary figures, and one table row per window (and the holdout).
public enum WalkForwardSection {
    public static func render(_ report: WalkForwardAnalysis.Report, timeline: [Int64]) -> String {
        guard !report.windows.isEmpty else { return "<p>No windows.</p>" }
        func time(_ index: Int) -> Double { Double(timeline[min(index, timeline.count - 1)]) }
        let first = time(report.windows[0].outOfSampleBars.lowerBound)
        let last = time(report.windows[report.windows.count - 1].outOfSampleBars.upperBound - 1)
        var html = parameterChart(report, time: time, from: first, to: last)
        html += sharpeChart(report, time: time, from: first, to: last)
        let summary: [(String, String)] = [
            ("walk-forward efficiency", ChartCanvas.number(report.efficiency)),
            ("out-of-sample Sharpe", ChartCanvas.number(report.statistics.sharpe)),
            ("mean in-sample Sharpe", ChartCanvas.number(report.meanInSampleSharpe)),
        ] + report.stability.keys.sorted().map { ("\($0) stability (CV)", ChartCanvas.number(report.stability[$0]!)) }
        html += "<div class=\"metrics\">" + summary.map { "<div class=\"metric\"><b>\($0.1)</b><span>\($0.0)</span></div>" }.joined()
            + "</div>\n"
        func day(_ index: Int) -> String { String(Timestamp(nanoseconds: timeline[index]).compactDescription.prefix(10)) }
        let names = Set(report.windows.flatMap(\.parameters.keys)).sorted()
        func row(_ label: String, _ window: WalkForwardAnalysis.Window) -> String {
            let m = window.result.metrics
            return "<tr><td class=\"left\">\(label)</td><td class=\"left\">\(day(window.inSampleBars.lowerBound)) to \(day(window.inSampleBars.upperBound - 1))</td>"
                + "<td class=\"left\">\(day(window.outOfSampleBars.lowerBound)) to \(day(window.outOfSampleBars.upperBound - 1))</td>"
                + names.map { "<td>\(HeatmapSVG.escape(window.parameters[$0] ?? ""))</td>" }.joined()
                + "<td>\(ChartCanvas.number(window.inSampleSharpe))</td>"
                + "<td>\(ChartCanvas.number(m.returns.sharpe))</td><td>\(ChartCanvas.number(m.returns.totalReturn * 100))%</td>"
                + "<td>\(m.trades.roundTrips)</td></tr>"
        }
        html += "<table><tr><th class=\"left\">window</th><th class=\"left\">in-sample</th><th class=\"left\">out-of-sample</th>"
            + names.map { "<th>\(HeatmapSVG.escape($0))</th>" }.joined() + "<th>IS Sharpe</th><th>OOS Sharpe</th><th>OOS return</th><th>trades</th></tr>\n"
        for (k, window) in report.windows.enumerated() { html += row("\(k + 1)", window) + "\n" }
        if let holdout = report.holdout { html += row("holdout", holdout) + "\n" }
        return html + "</table>\n"
    }

    /// The chosen numeric parameters as steps across each out-of-sample period (the first four).
    private static func parameterChart(_ report: WalkForwardAnalysis.Report, time: (Int) -> Double, from: Double, to: Double) -> String {
        let names = report.stability.keys.sorted().prefix(4)
        func steps(_ name: String) -> [(Double, Double)] {
            report.windows.flatMap { w -> [(Double, Double)] in
                let value = Double(w.parameters[name] ?? "") ?? .nan
                return [(time(w.outOfSampleBars.lowerBound), value), (time(w.outOfSampleBars.upperBound - 1), value)]
            }
        }
        let lines = names.map { ($0, steps($0)) }
        let values = lines.flatMap { $0.1.map(\.1) }.filter(\.isFinite)
        var canvas = ChartCanvas(height: 220, x: from...to, y: (values.min() ?? 0)...(values.max() ?? 1))
        canvas.axes(yLabel: { ChartCanvas.number($0) }, title: "Chosen parameters per out-of-sample window")
        let colors = ["#00897b", "#6a1b9a", "#ef6c00", "#1565c0"]
        for (index, line) in lines.enumerated() { canvas.line(line.1, color: colors[index], width: 2) }
        canvas.legend(lines.enumerated().map { (HeatmapSVG.escape($0.element.0), colors[$0.offset]) })
        return canvas.svg
    }

    /// In-sample and out-of-sample Sharpe as paired bars per window.
    private static func sharpeChart(_ report: WalkForwardAnalysis.Report, time: (Int) -> Double, from: Double, to: Double) -> String {
        let pairs = report.windows.map { w -> (Double, Double, Double, Double) in
            let start = time(w.outOfSampleBars.lowerBound), end = time(w.outOfSampleBars.upperBound - 1)
            let inSample = w.inSampleSharpe.isFinite ? w.inSampleSharpe : 0
            let outOfSample = w.result.metrics.returns.sharpe.isFinite ? w.result.metrics.returns.sharpe : 0
            return (start, end, inSample, outOfSample)
        }
        let values: [Double] = pairs.flatMap { [$0.2, $0.3] } + [0]
        var canvas = ChartCanvas(height: 220, x: from...to, y: (values.min() ?? 0)...(values.max() ?? 1))
        canvas.axes(yLabel: { ChartCanvas.number($0) }, title: "Sharpe: in-sample (chosen) against out-of-sample, per window")
        for (start, end, inSample, outOfSample) in pairs {
            let middle = (start + end) / 2
            canvas.bar(from: start, to: middle, height: inSample, color: "#90a4ae")
            canvas.bar(from: middle, to: end, height: outOfSample, color: outOfSample >= 0 ? "#2e7d32" : "#c62828")
        }
        canvas.legend([("in-sample", "#90a4ae"), ("out-of-sample", "#2e7d32")])
        return canvas.svg
    }
}
