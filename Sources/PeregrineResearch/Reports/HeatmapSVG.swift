/// A heatmap of an objective over a two-parameter grid as a self-contained SVG: one cell per
/// combination, colored from low (dark blue) to high (yellow), blank where the combination was
/// excluded, with axis labels, the best cell outlined and a color scale.
public enum HeatmapSVG {
    public static func render(xName: String, yName: String, xValues: [Int], yValues: [Int], value: (Int, Int) -> Double?,
                              title: String) -> String {
        let cell = max(2, min(16, 720 / max(xValues.count, yValues.count, 1)))
        let left = 60, top = 40
        let width = left + cell * xValues.count + 90
        let height = top + cell * yValues.count + 50
        var finite: [Double] = []
        for x in xValues { for y in yValues { if let v = value(x, y), v.isFinite { finite.append(v) } } }
        let low = finite.min() ?? 0
        let high = finite.max() ?? 1
        func color(_ v: Double) -> String {
            let t = high > low ? (v - low) / (high - low) : 0.5
            // Dark blue -> teal -> yellow.
            let stops: [(Double, Double, Double)] = [(68, 1, 84), (33, 145, 140), (253, 231, 37)]
            let position = t * 2
            let index = min(1, Int(position))
            let f = position - Double(index)
            let a = stops[index], b = stops[index + 1]
            func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * f).rounded()) }
            return "rgb(\(mix(a.0, b.0)),\(mix(a.1, b.1)),\(mix(a.2, b.2)))"
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"11\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(left)\" y=\"20\" font-size=\"14\">\(escape(title))</text>\n"
        var best: (Int, Int, Double)?
        for (column, x) in xValues.enumerated() {
            for (row, y) in yValues.enumerated() {
                guard let v = value(x, y), v.isFinite else { continue }
                if best == nil || v > best!.2 { best = (column, row, v) }
                svg += "<rect x=\"\(left + column * cell)\" y=\"\(top + (yValues.count - 1 - row) * cell)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(color(v))\"><title>\(xName)=\(x) \(yName)=\(y): \(v)</title></rect>\n"
            }
        }
        if let (column, row, _) = best {
            svg += "<rect x=\"\(left + column * cell)\" y=\"\(top + (yValues.count - 1 - row) * cell)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"none\" stroke=\"red\" stroke-width=\"2\"/>\n"
        }
        let bottom = top + cell * yValues.count
        for (column, x) in xValues.enumerated() where column % max(1, xValues.count / 10) == 0 {
            svg += "<text x=\"\(left + column * cell)\" y=\"\(bottom + 14)\">\(x)</text>\n"
        }
        for (row, y) in yValues.enumerated() where row % max(1, yValues.count / 10) == 0 {
            svg += "<text x=\"\(left - 30)\" y=\"\(top + (yValues.count - 1 - row) * cell + cell)\">\(y)</text>\n"
        }
        svg += "<text x=\"\(left + cell * xValues.count / 2)\" y=\"\(bottom + 32)\">\(escape(xName))</text>\n"
        svg += "<text x=\"12\" y=\"\(top + cell * yValues.count / 2)\" transform=\"rotate(-90 12 \(top + cell * yValues.count / 2))\">\(escape(yName))</text>\n"
        let scaleX = left + cell * xValues.count + 20
        for k in 0..<10 {
            let v = low + (high - low) * Double(9 - k) / 9
            svg += "<rect x=\"\(scaleX)\" y=\"\(top + k * 16)\" width=\"14\" height=\"16\" fill=\"\(color(v))\"/>\n"
        }
        svg += "<text x=\"\(scaleX + 18)\" y=\"\(top + 10)\">\(format(high))</text>\n"
        svg += "<text x=\"\(scaleX + 18)\" y=\"\(top + 160)\">\(format(low))</text>\n"
        return svg + "</svg>\n"
    }

    static func format(_ v: Double) -> String { String(Double(Int((v * 1000).rounded())) / 1000) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

import Foundation
