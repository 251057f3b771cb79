import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineModels

struct OptionsSmileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smile",
        abstract: "Implied volatilities of an option chain and a smile fitted per expiration.",
        discussion: """
            Reads a chain as CSV with the header symbol,bid,ask: one contract a line, its OCC symbol as \
            Alpaca writes it (AAPL240119C00190000: root, YYMMDD, C or P, strike times 1000 in 8 digits) and \
            its bid and ask. For each expiration after --as-of it solves the implied volatility of the mid \
            of every out-of-the-money contract (puts below the forward S e^((r - q) T), calls at and above \
            it; T Actual/365 from --as-of) under Black-Scholes-Merton, and fits sigma(k) = level + slope k \
            + curvature k^2 in log-moneyness k = ln(K / F) by least squares. Level is the at-the-money-forward \
            volatility, slope the skew, curvature the smile; rmse says how well the quadratic fits. Quotes \
            without both sides or with a mid outside the no-arbitrage bounds are listed as skipped with the \
            reason; an expiration needs 4 usable quotes.

            --model svi fits Gatheral's raw SVI instead, in total variance w = sigma^2 T: w(k) = a + b (rho (k - m) \
            + sqrt((k - m)^2 + s^2)) with b >= 0, |rho| < 1, s > 0 and the least total variance a + b s sqrt(1 - rho^2) \
            not negative, by least squares (the quasi-explicit method: exact in a, b rho s and b s for each m and s, \
            Nelder-Mead over m and ln s). Its wings grow linearly in total variance, so it extrapolates beyond \
            the quotes; an expiration needs 5 distinct strikes.

            Examples:
              peregrine options smile --chain aapl_chain.csv --spot 191.5 --rate 0.045 --dividend 0.005 --as-of 2024-01-02 --json
              peregrine options smile --chain aapl_chain.csv --spot 191.5 --rate 0.045 --as-of 2024-01-02 --model svi
            """
    )

    @Option(help: ArgumentHelp("The chain: CSV with the header symbol,bid,ask.", valueName: "file"))
    var chain: String

    @OptionGroup var underlying: UnderlyingMarketOptions

    @Option(help: ArgumentHelp("The quotes' date, YYYY-MM-DD.", valueName: "date"))
    var asOf: String

    @Option(help: "The smile's form: quadratic or svi.")
    var model: String = "quadratic"

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        guard let date = CivilDate(iso: asOf) else { throw ValidationError("--as-of '\(asOf)': write a date as YYYY-MM-DD") }
        let market = try underlying.market(volatility: 0)
        let parsed = try Self.read(chain)
        guard ["quadratic", "svi"].contains(model) else { throw ValidationError("--model must be quadratic or svi, got \(model)") }
        if model == "svi" { return try printSVI(parsed, spot: market.spot, rate: market.rate, dividend: market.dividend, asOf: date) }
        let fitted = parsed.smiles(spot: market.spot, rate: market.rate, dividend: market.dividend, asOf: date)
        let expirations = fitted.smiles.keys.sorted()
        if json {
            var object = JSONObject()
            object.set("underlying", parsed.underlying)
            object.set("contracts", parsed.quotes.count)
            object.set("smiles", objects: expirations.map { expiration in
                let smile = fitted.smiles[expiration]!
                var item = JSONObject()
                item.set("expiration", expiration.description)
                item.set("expiry", OptionChain.years(from: date, to: expiration))
                item.set("forward", smile.forward)
                item.set("level", smile.level)
                item.set("slope", smile.slope)
                item.set("curvature", smile.curvature)
                item.set("rmse", smile.rootMeanSquareError)
                return item
            })
            object.set("skipped", objects: Self.skippedJSON(fitted.skipped))
            print(object.render())
        } else {
            var table = Table()
            table.add("chain", "\(parsed.underlying), \(parsed.quotes.count) contracts, \(parsed.expirations.count) expirations")
            for expiration in expirations {
                let smile = fitted.smiles[expiration]!
                table.add(expiration.description, "level \(Table.number(smile.level, places: 4))  slope \(Table.number(smile.slope, places: 4))  "
                    + "curvature \(Table.number(smile.curvature, places: 4))  rmse \(Table.number(smile.rootMeanSquareError, places: 5))  "
                    + "forward \(Table.number(smile.forward, places: 4))")
            }
            for skipped in fitted.skipped { table.add("skipped", "\(skipped.symbol): \(skipped.reason)") }
            print(table.render())
        }
    }

    /// The SVI smiles, as a table or JSON.
    func printSVI(_ parsed: OptionChain, spot: Double, rate: Double, dividend: Double, asOf date: CivilDate) throws {
        let fitted = parsed.sviSmiles(spot: spot, rate: rate, dividend: dividend, asOf: date)
        let expirations = fitted.smiles.keys.sorted()
        if json {
            var object = JSONObject()
            object.set("underlying", parsed.underlying)
            object.set("contracts", parsed.quotes.count)
            object.set("model", "svi")
            object.set("smiles", objects: expirations.map { expiration in
                let smile = fitted.smiles[expiration]!
                var item = JSONObject()
                item.set("expiration", expiration.description)
                item.set("expiry", smile.expiry)
                item.set("forward", smile.forward)
                item.set("a", smile.a)
                item.set("b", smile.b)
                item.set("rho", smile.rho)
                item.set("m", smile.m)
                item.set("s", smile.s)
                item.set("atm_volatility", smile.volatility(strike: smile.forward))
                item.set("rmse", smile.rootMeanSquareError)
                return item
            })
            object.set("unfitted", objects: fitted.unfitted.keys.sorted().map { expiration in
                var item = JSONObject()
                item.set("expiration", expiration.description)
                item.set("reason", fitted.unfitted[expiration]!)
                return item
            })
            object.set("skipped", objects: Self.skippedJSON(fitted.skipped))
            print(object.render())
            return
        }
        var table = Table()
        table.add("chain", "\(parsed.underlying), \(parsed.quotes.count) contracts, \(parsed.expirations.count) expirations (SVI)")
        for expiration in expirations {
            let smile = fitted.smiles[expiration]!
            table.add(expiration.description, "a \(Table.number(smile.a, places: 5))  b \(Table.number(smile.b, places: 4))  "
                + "rho \(Table.number(smile.rho, places: 4))  m \(Table.number(smile.m, places: 4))  s \(Table.number(smile.s, places: 4))  "
                + "atm vol \(Table.number(smile.volatility(strike: smile.forward), places: 4))  rmse \(Table.number(smile.rootMeanSquareError, places: 5))")
        }
        for expiration in fitted.unfitted.keys.sorted() { table.add(expiration.description, "not fitted: \(fitted.unfitted[expiration]!)") }
        for skipped in fitted.skipped { table.add("skipped", "\(skipped.symbol): \(skipped.reason)") }
        print(table.render())
    }

    /// Quotes left out of a fit, with the reason.
    static func skippedJSON(_ skipped: [OptionChain.Skipped]) -> [JSONObject] {
        skipped.map { skipped in
            var item = JSONObject()
            item.set("symbol", skipped.symbol.description)
            item.set("reason", skipped.reason)
            return item
        }
    }

    /// The chain file, every line checked: its number and field named when it cannot be read.
    static func read(_ path: String) throws -> OptionChain {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CLIFailure("\(path): cannot read the chain file")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.first?.lowercased() == "symbol,bid,ask" else { throw CLIFailure("\(path):1: the header must be symbol,bid,ask") }
        var quotes: [OptionChain.Quote] = []
        for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let place = "\(path):\(index + 1)"
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { throw CLIFailure("\(place): expected symbol,bid,ask, found \(fields.count) fields") }
            let symbol: OCCSymbol
            do { symbol = try OCCSymbol(fields[0]) } catch { throw CLIFailure("\(place): symbol: \(error.description)") }
            func price(_ field: String, _ name: String) throws -> Price? {
                if field.isEmpty { return nil }
                guard let value = Price(field), value.units >= 0 else { throw CLIFailure("\(place): \(name) '\(field)' is not a price") }
                return value
            }
            quotes.append(OptionChain.Quote(symbol: symbol, bid: try price(fields[1], "bid"), ask: try price(fields[2], "ask")))
        }
        guard let root = quotes.first?.symbol.root else { throw CLIFailure("\(path): the chain has no contracts") }
        do { return try OptionChain(underlying: root, quotes: quotes) } catch { throw CLIFailure("\(path): \(error.description)") }
    }
}
