import Foundation
import PeregrineTestSupport
import Testing

/// `peregrine options` against QuantLib's numbers in the committed fixture.
@Suite struct OptionsCommandTests {
    @Test func priceAndImpliedVolatilityMatchQuantLib() throws {
        let data = FileManager.default.contents(atPath: TestPaths.fixture("options_quantlib.json"))!
        let fixture = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let row = (fixture["european"] as! [[String: Any]]).first { ($0["vol"] as! Double) == 0.2 && ($0["dividend"] as! Double) == 0.02
            && ($0["rate"] as! Double) == 0.03 && ($0["type"] as! String) == "put" && ($0["spot"] as! Double) == 125
            && ($0["expiry"] as! Double) > 1 }!
        let arguments = ["--type", "put", "--spot", "125", "--strike", "100", "--rate", "0.03", "--dividend", "0.02",
                         "--expiry", String(row["expiry"] as! Double)]
        let priced = try peregrine(["options", "price", "--vol", "0.2", "--json"] + arguments)
        #expect(priced.status == 0, "\(priced.error)")
        let json = try JSONSerialization.jsonObject(with: Data(priced.output.utf8)) as! [String: Double]
        for name in ["price", "delta", "gamma", "vega", "theta", "theta_per_day", "rho", "dividend_rho"] {
            let reference = row[name] as! Double
            #expect(abs(json[name]! - reference) <= 1e-8 * max(1, abs(reference)), "\(name)")
        }
        let implied = try peregrine(["options", "iv", "--price", String(row["price"] as! Double), "--json"] + arguments)
        let vol = (try JSONSerialization.jsonObject(with: Data(implied.output.utf8)) as! [String: Double])["implied_vol"]!
        #expect(abs(vol - 0.2) < 1e-9)
        let refused = try peregrine(["options", "iv", "--price", "130"] + arguments)
        #expect(refused.status != 0 && refused.error.contains("outside the no-arbitrage bounds"))
        let badModel = try peregrine(["options", "price", "--vol", "0.2", "--style", "american", "--model", "bsm"] + arguments)
        #expect(badModel.status != 0 && badModel.error.contains("prices European options"))
    }
}
