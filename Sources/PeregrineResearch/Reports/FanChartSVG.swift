/// A fan chart of Monte Carlo equity paths as a self-contained SVG: the 5–95% and 25–75%
/// percentile bands shaded around the median line, with the starting equity as a dashed line.
public enum FanChartSVG {
    public static func render(bands: [(Double, Double, Double, Double, Double)], initialEquity: Double, title: String,
                              xLabel: String) -> String {
        let width = 760.0, height = 420.0, left = 80.0, right = 20.0, top = 40.0, bottom = 50.0
        let low = min(bands.map(\.0).min() ?? initialEquity, initialEquity)
        let high = max(bands.map(\.4).max() ?? initialEquity, initialEquity)
        let span = max(high - low, 1e-9)
        let count = max(bands.count, 2)
        func x(_ i: Int) -> Double { left + (width - left - right) * Double(i) / Double(count - 1) }
        func y(_ v: Double) -> Double { top + (height - top - bottom) * (1 - (v - low) / span) }
        func polygon(_ upper: (Int) -> Double, _ lower: (Int) -> Double) -> String {
            let forward = bands.indices.map { "\(x($0)),\(y(upper($0)))" }
            let backward = bands.indices.reversed().map { "\(x($0)),\(y(lower($0)))" }
            return (forward + backward).joined(separator: " ")
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(left)\" y=\"22\" font-size=\"14\">\(HeatmapSVG.escape(title))</text>\n"
        if !bands.isEmpty {
            svg += "<polygon points=\"\(polygon({ bands[$0].4 }, { bands[$0].0 }))\" fill=\"#9ecae1\" opacity=\"0.6\"/>\n"
            svg += "<polygon points=\"\(polygon({ bands[$0].3 }, { bands[$0].1 }))\" fill=\"#3182bd\" opacity=\"0.6\"/>\n"
            let median = bands.indices.map { "\(x($0)),\(y(bands[$0].2))" }.joined(separator: " ")
            svg += "<polyline points=\"\(median)\" fill=\"none\" stroke=\"#08306b\" stroke-width=\"2\"/>\n"
        }
        svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(initialEquity))\" y2=\"\(y(initialEquity))\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n"
        svg += "<line x1=\"\(left)\" x2=\"\(left)\" y1=\"\(top)\" y2=\"\(height - bottom)\" stroke=\"#333\"/>\n"
        svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(height - bottom)\" y2=\"\(height - bottom)\" stroke=\"#333\"/>\n"
        for k in 0...4 {
            let v = low + span * Double(k) / 4
            svg += "<text x=\"6\" y=\"\(y(v) + 4)\">\(abs(v) < 1e15 ? String(Int(v.rounded())) : String(v))</text>\n"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - bottom + 16)\">0</text>\n"
        svg += "<text x=\"\(width - right - 30)\" y=\"\(height - bottom + 16)\">\(max(bands.count - 1, 0))</text>\n"
        svg += "<text x=\"\((left + width) / 2 - 30)\" y=\"\(height - 14)\">\(HeatmapSVG.escape(xLabel))</text>\n"
        svg += "<text x=\"\(width - 250)\" y=\"\(top - 8)\" fill=\"#3182bd\">bands: 5–95%, 25–75%; line: median</text>\n"
        return svg + "</svg>\n"
    }
}
