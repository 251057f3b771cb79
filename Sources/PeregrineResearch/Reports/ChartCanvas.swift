import PeregrineCore

/// A small SVG plotting surface for the tearsheet: a plot area with margins, linear scales fitted
/// to the data, axes with value and date labels, and marks (lines, areas, bars, candles, markers).
/// Everything is inline SVG text: no scripts, nothing fetched.
struct ChartCanvas {
    let width: Double, height: Double
    let left = 70.0, right = 16.0, top = 30.0, bottom = 34.0
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>
    private(set) var body = ""

    init(width: Double = 900, height: Double = 300, x: ClosedRange<Double>, y: ClosedRange<Double>) {
        self.width = width
        self.height = height
        xRange = x.lowerBound < x.upperBound ? x : (x.lowerBound - 1)...(x.upperBound + 1)
        let pad = (y.upperBound - y.lowerBound) * 0.04
        yRange = y.lowerBound < y.upperBound ? (y.lowerBound - pad)...(y.upperBound + pad)
            : (y.lowerBound - max(abs(y.lowerBound) * 0.01, 1e-9))...(y.upperBound + max(abs(y.upperBound) * 0.01, 1e-9))
    }

    func x(_ value: Double) -> Double {
        left + (width - left - right) * (value - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
    }

    func y(_ value: Double) -> Double {
        top + (height - top - bottom) * (1 - (value - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound))
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return String(Double(Int((value * 100).rounded())) / 100)
    }

    /// An axis label: 1.25M, 350k, 12.5, 0.03.
    static func compact(_ value: Double) -> String {
        let size = abs(value)
        if size >= 1e6 { return number(value / 1e6) + "M" }
        if size >= 1e4 { return number(value / 1e3) + "k" }
        return number(value)
    }

    /// Axes with five value labels formatted by `label` and dates under the x axis (x values are nanoseconds).
    mutating func axes(yLabel label: (Double) -> String, dates: Bool = true, title: String) {
        body += "<text x=\"\(left)\" y=\"18\" class=\"title\">\(HeatmapSVG.escape(title))</text>\n"
        for k in 0...4 {
            let value = yRange.lowerBound + (yRange.upperBound - yRange.lowerBound) * Double(k) / 4
            let py = Self.number(y(value))
            body += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(py)\" y2=\"\(py)\" class=\"grid\"/>\n"
            body += "<text x=\"\(left - 6)\" y=\"\(Self.number(y(value) + 4))\" text-anchor=\"end\">\(HeatmapSVG.escape(label(value)))</text>\n"
        }
        body += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(height - bottom)\" y2=\"\(height - bottom)\" class=\"axis\"/>\n"
        guard dates else { return }
        for k in 0...4 {
            let value = xRange.lowerBound + (xRange.upperBound - xRange.lowerBound) * Double(k) / 4
            let text = Timestamp(nanoseconds: Int64(value)).compactDescription.prefix(10)
            let anchor = k == 0 ? "start" : (k == 4 ? "end" : "middle")
            body += "<text x=\"\(Self.number(x(value)))\" y=\"\(Self.number(height - bottom + 16))\" text-anchor=\"\(anchor)\">\(text)</text>\n"
        }
    }

    /// A line through (x, y) points, thinned to at most `limit` points so large runs stay light.
    mutating func line(_ points: [(Double, Double)], color: String, width strokeWidth: Double = 1.5, limit: Int = 1_500, fill: String? = nil) {
        let step = max(1, (points.count + limit - 1) / limit)
        var kept = stride(from: 0, to: points.count, by: step).map { points[$0] }
        if let last = points.last, step > 1 { kept.append(last) }
        let coordinates = kept.map { "\(Self.number(x($0.0))),\(Self.number(y($0.1)))" }
        guard !coordinates.isEmpty else { return }
        if let fill {
            let base = Self.number(y(max(yRange.lowerBound, min(0, yRange.upperBound))))
            let first = Self.number(x(kept[0].0)), lastX = Self.number(x(kept[kept.count - 1].0))
            body += "<polygon points=\"\(first),\(base) \(coordinates.joined(separator: " ")) \(lastX),\(base)\" fill=\"\(fill)\" opacity=\"0.5\"/>\n"
        }
        body += "<polyline points=\"\(coordinates.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(strokeWidth)\"/>\n"
    }

    mutating func bar(from x0: Double, to x1: Double, height value: Double, color: String) {
        let top = min(y(value), y(0)), size = abs(y(value) - y(0))
        body += "<rect x=\"\(Self.number(x(x0)))\" y=\"\(Self.number(top))\" width=\"\(Self.number(max(x(x1) - x(x0) - 1, 1)))\" "
            + "height=\"\(Self.number(max(size, 0.5)))\" fill=\"\(color)\"/>\n"
    }

    mutating func candle(at position: Double, width candleWidth: Double, open: Double, high: Double, low: Double, close: Double) {
        let color = close >= open ? "#2e7d32" : "#c62828"
        let cx = Self.number(x(position))
        body += "<line x1=\"\(cx)\" x2=\"\(cx)\" y1=\"\(Self.number(y(high)))\" y2=\"\(Self.number(y(low)))\" stroke=\"\(color)\"/>\n"
        let top = min(y(open), y(close)), size = max(abs(y(open) - y(close)), 1)
        body += "<rect x=\"\(Self.number(x(position) - candleWidth / 2))\" y=\"\(Self.number(top))\" width=\"\(Self.number(candleWidth))\" "
            + "height=\"\(Self.number(size))\" fill=\"\(color)\"/>\n"
    }

    /// A triangle marker: up (a buy) below the price, down (a sell) above it.
    mutating func marker(at position: Double, price: Double, up: Bool) {
        let cx = x(position), cy = y(price) + (up ? 10 : -10)
        let tip = up ? cy - 7 : cy + 7
        let points = "\(Self.number(cx - 5)),\(Self.number(cy)) \(Self.number(cx + 5)),\(Self.number(cy)) \(Self.number(cx)),\(Self.number(tip))"
        body += "<polygon points=\"\(points)\" fill=\"\(up ? "#1565c0" : "#ef6c00")\"><title>\(up ? "buy" : "sell")</title></polygon>\n"
    }

    mutating func legend(_ items: [(String, String)]) {
        var position = width - right - 170 * Double(items.count)
        for (name, color) in items {
            body += "<rect x=\"\(Self.number(position))\" y=\"10\" width=\"12\" height=\"3\" fill=\"\(color)\"/>"
                + "<text x=\"\(Self.number(position + 16))\" y=\"15\">\(HeatmapSVG.escape(name))</text>\n"
            position += 170
        }
    }

    /// A label under the x axis at an x value.
    mutating func text(at position: Double, _ label: String) {
        body += "<text x=\"\(Self.number(x(position)))\" y=\"\(Self.number(height - bottom + 16))\" text-anchor=\"middle\">"
            + "\(HeatmapSVG.escape(label))</text>\n"
    }

    var svg: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" "
            + "height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n" + body + "</svg>\n"
    }

    /// The chart as a file of its own: a white background and the tearsheet's styles for titles,
    /// grid and axes inside the SVG, since no page around it supplies them.
    var standaloneSVG: String {
        let style = "<style>.title { font-size: 13px; font-weight: 600; fill: #1d2733; } .grid { stroke: #e6ebf0; } "
            + ".axis { stroke: #7a8896; } text { fill: #4a5866; }</style>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" "
            + "height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n" + style + body + "</svg>\n"
    }

    /// A round marker at (x, y) with a hover title.
    mutating func dot(at position: Double, value: Double, color: String, title: String) {
        body += "<circle cx=\"\(Self.number(x(position)))\" cy=\"\(Self.number(y(value)))\" r=\"4\" fill=\"\(color)\">"
            + "<title>\(HeatmapSVG.escape(title))</title></circle>\n"
    }

    /// A vertical dashed line at an x value, labelled at its top.
    mutating func verticalLine(at position: Double, color: String, label: String) {
        let px = Self.number(x(position))
        body += "<line x1=\"\(px)\" x2=\"\(px)\" y1=\"\(top)\" y2=\"\(height - bottom)\" stroke=\"\(color)\" stroke-dasharray=\"4 3\"/>\n"
            + "<text x=\"\(px)\" y=\"\(Self.number(top - 2))\" text-anchor=\"middle\" fill=\"\(color)\">\(HeatmapSVG.escape(label))</text>\n"
    }
}
