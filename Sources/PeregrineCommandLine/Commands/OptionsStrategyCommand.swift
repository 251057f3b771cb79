import ArgumentParser
import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineModels
import PeregrineResearch
import PeregrineRisk

struct OptionsStrategyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategy",
        abstract: "Legs, Greeks, break-evens, max profit and loss and probability of profit of an option strategy.",
        discussion: """
            NAME is one of covered-call, cash-secured-put, protective-put, collar, bull-call-spread, \
            bear-call-spread, bull-put-spread, bear-put-spread, straddle, strangle, iron-condor, \
            iron-butterfly, butterfly, calendar, diagonal, or custom with --legs. Strikes go lowest first: \
            one for covered-call, cash-secured-put, protective-put, straddle and calendar; two for collar \
            (put, call), the verticals, strangle (put, call) and diagonal; three for butterfly and \
            iron-butterfly; four for iron-condor (long put, short put, short call, long call). Calendar \
            and diagonal sell --expiry and buy --far-expiry; --type put makes the butterfly, calendar and \
            diagonal of puts. --short takes the other side of every leg (a short straddle).

            Every leg is a European option priced by Black-Scholes-Merton at --vol, --rate and \
            --dividend (or shares of the underlying); with --style american every option leg is American, \
            priced by a 201-step Leisen-Reimer tree (--steps) or --model baw, bjs or bjs1993, Greeks from the \
            same model; figures are per share of the underlying, so one \
            contract of 100 shares is 100 times each. The horizon is the first expiry: the profit there is \
            the payoff less the entry cost (for a calendar, the far leg at its model value then). \
            Break-evens are the spots where that profit is zero; max profit and max loss say unbounded \
            when they grow without limit as the underlying rises. The probability of profit is the \
            lognormal probability, with the risk-neutral drift r - q, that the spot at the horizon lands \
            where the profit is positive. Greeks are the sum of the legs' (shares have delta 1), in \
            QuantLib's conventions: vega per 1.00 of volatility, theta per year (theta_per_day = theta / \
            365), rho per 1.00 of rate.

            --plot FILE.svg writes the payoff diagram: the profit at the horizon and today, with the \
            strikes, the spot and the break-evens marked. --mleg-order ROOT:YYYY-MM-DD (with :YYYY-MM-DD for \
            the far expiration) also prints the body of the Alpaca multi-leg order (order_class mleg) that \
            opens the option legs, each contract's OCC symbol from the root, date and strike, buying to open \
            the long legs and selling to open the short ones; --contracts N, --limit-price P (net; negative \
            for a credit; market without it) and --client-order-id shape it. Nothing is sent.

            --risk default|FILE.toml with --equity AMOUNT checks the position (--contracts of the strategy, \
            100 shares a contract) before anything is printed, as a pre-trade check: option legs count in \
            the gross and net exposure by their delta-adjusted notional (contracts x 100 x delta x spot, \
            shares at their value), and the [risk] table's max_portfolio_delta (dollar delta over equity) \
            and max_portfolio_vega (the value change for one volatility point over equity) apply. A \
            position past a limit is refused with each limit it breaks; within them, the table and JSON \
            show its delta-adjusted notional and vega per point.

            Examples:
              peregrine options strategy iron-condor --spot 100 --strikes 85,95,105,115 --expiry 0.0822 --vol 0.25 --rate 0.03 --plot condor.svg
              peregrine options strategy covered-call --spot 100 --strikes 105 --expiry 0.0822 --vol 0.25 --json
              peregrine options strategy calendar --spot 100 --strikes 100 --expiry 0.0822 --far-expiry 0.1644 --vol 0.25
              peregrine options strategy straddle --short --spot 100 --strikes 100 --expiry 0.25 --vol 0.3
              peregrine options strategy iron-condor --spot 190 --strikes 170,180,200,210 --expiry 0.0466 --vol 0.22 --mleg-order AAPL:2024-01-19 --limit-price -1.96 --contracts 2
              peregrine options strategy custom --legs 100:stock,-1:call:105,1:put:90:0.25 --spot 100 --expiry 0.0822 --vol 0.25
              peregrine options strategy covered-call --spot 100 --strikes 105 --expiry 0.0822 --vol 0.25 --contracts 5 --risk peregrine.toml --equity 100000
            """
    )

    @Argument(help: ArgumentHelp("The strategy's name, or custom.", valueName: "name"))
    var name: String

    @OptionGroup var underlying: UnderlyingMarketOptions

    @Option(help: ArgumentHelp("Strikes, lowest first, comma-separated.", valueName: "k1,k2,..."))
    var strikes: String = ""

    @Option(help: ArgumentHelp("Years to the (near) expiry, Actual/365: 30 days is 0.0822.", valueName: "years"))
    var expiry: Double

    @Option(help: ArgumentHelp("Years to the far expiry of a calendar or diagonal.", valueName: "years"))
    var farExpiry: Double?

    @Option(help: ArgumentHelp("call or put, for butterfly, calendar and diagonal.", valueName: "type"))
    var type: String = "call"

    @Option(help: ArgumentHelp("With custom: legs quantity:stock or quantity:call|put:strike[:expiry], comma-separated; negative quantities are short.",
                               valueName: "legs"))
    var legs: String?

    @Option(help: ArgumentHelp("Annualized volatility, e.g. 0.25.", valueName: "vol"))
    var vol: Double

    @Option(help: ArgumentHelp("european or american: how the option legs are valued.", valueName: "style"))
    var style: String = "european"

    @Option(help: ArgumentHelp("For --style american: leisen-reimer (the default), baw, bjs or bjs1993.", valueName: "model"))
    var model: String?

    @Option(help: ArgumentHelp("Steps of the Leisen-Reimer tree for American legs (2 to 100000).", valueName: "n"))
    var steps: Int = 201

    @Flag(help: "Take the other side of every leg.")
    var short = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(help: ArgumentHelp("Write the payoff diagram as SVG here.", valueName: "file.svg"))
    var plot: String?

    @Option(help: ArgumentHelp("Also print the Alpaca mleg order body that opens the option legs: the root and the expiration dates of --expiry (and --far-expiry).",
                               valueName: "root:yyyy-mm-dd[:yyyy-mm-dd]"))
    var mlegOrder: String?

    @Option(help: ArgumentHelp("With --mleg-order: how many of the strategy to open (each leg's ratio times this).", valueName: "n"))
    var contracts: Int = 1

    @Option(help: ArgumentHelp("With --mleg-order: a net limit price, positive to pay and negative to receive (market without it).",
                               valueName: "price"))
    var limitPrice: String?

    @Option(help: ArgumentHelp("With --mleg-order: the order's client order id.", valueName: "id"))
    var clientOrderId: String = "peregrine-mleg-1"

    @Option(help: ArgumentHelp("Check the position against risk limits: default, or a TOML file's [risk] table (with --equity).",
                               valueName: "default|file.toml"))
    var risk: String?

    @Option(help: ArgumentHelp("With --risk: the account's equity the limits are fractions of.", valueName: "amount"))
    var equity: String?

    func run() throws {
        guard let optionType = OptionType(rawValue: type) else { throw ValidationError("--type '\(type)': use call or put") }
        let market = try underlying.market(volatility: vol)
        let spot = market.spot
        let built: [OptionLeg]
        do {
            if name == "custom" {
                guard let legs else { throw ValidationError("custom needs --legs, e.g. 100:stock,-1:call:105") }
                built = try Self.parseLegs(legs, expiry: expiry)
                if short { throw ValidationError("--short does not apply to custom legs; give the quantities their signs") }
            } else {
                guard let template = OptionStrategyTemplate(rawValue: name) else {
                    throw ValidationError("unknown strategy '\(name)': use " + OptionStrategyTemplate.allCases.map(\.rawValue).joined(separator: ", ")
                        + " or custom")
                }
                if legs != nil { throw ValidationError("--legs is for custom; \(name) builds its own legs from --strikes") }
                built = try template.legs(strikes: try Self.parseStrikes(strikes), expiry: expiry, farExpiry: farExpiry, type: optionType,
                                          short: short)
            }
        } catch let error as OptionStrategyError {
            throw ValidationError(error.description)
        }
        guard style == "european" || style == "american" else { throw ValidationError("--style '\(style)': use european or american") }
        guard (2...100_000).contains(steps) else { throw ValidationError("--steps \(steps): use 2 to 100000") }
        let chosen = model ?? (style == "american" ? "leisen-reimer" : "bsm")
        guard let pricing = LegPricing(model: chosen, american: style == "american", steps: steps) else {
            throw ValidationError(style == "american" ? "--model '\(chosen)' for American legs: use leisen-reimer, baw, bjs or bjs1993"
                                                      : "--model '\(chosen)' prices American legs; give --style american")
        }
        let strategy: OptionStrategy
        do { strategy = try OptionStrategy(legs: built, market: market, pricing: pricing) } catch { throw ValidationError(error.description) }
        let exposure = try riskCheck(strategy)
        let orderBody = try mlegOrder.map { try orderJSON($0, strategy) }
        let greeks = strategy.greeks, breakEvens = strategy.breakEvens
        let maxProfit = strategy.maxProfit, maxLoss = strategy.maxLoss, probability = strategy.probabilityOfProfit
        if json {
            var object = JSONObject()
            object.set("strategy", name)
            object.set("legs", objects: strategy.legs.map { leg in
                var item = JSONObject()
                item.set("quantity", leg.quantity)
                switch leg.instrument {
                case .stock: item.set("instrument", "stock")
                case .option(let type, let strike, let expiry):
                    item.set("instrument", type.rawValue)
                    item.set("strike", strike)
                    item.set("expiry", expiry)
                }
                item.set("price", strategy.unitValue(leg, spot: spot, time: 0))
                return item
            })
            object.set("cost", strategy.cost)
            object.set("horizon", strategy.horizon)
            for (key, value) in Self.greekRows(greeks) { object.set(key, value) }
            object.set("break_evens", numbers: breakEvens)
            Self.set(&object, "max_profit", maxProfit)
            Self.set(&object, "max_loss", maxLoss)
            object.set("probability_of_profit", probability)
            if let exposure {
                object.set("delta_notional", exposure.net)
                object.set("vega_per_point", exposure.vegaPerPoint)
            }
            if let orderBody { object.set("mleg_order", encoded: orderBody) }
            print(object.render())
        } else {
            var table = Table()
            for (index, leg) in strategy.legs.enumerated() {
                table.add("leg \(index + 1)", "\(leg.description) at \(Table.number(strategy.unitValue(leg, spot: spot, time: 0), places: 4))")
            }
            table.add("cost", strategy.cost >= 0 ? "\(Table.number(strategy.cost, places: 4)) (debit)" : "\(Table.number(-strategy.cost, places: 4)) (credit)")
            table.add("horizon", "\(Table.number(strategy.horizon, places: 6)) years")
            for (key, value) in Self.greekRows(greeks) where key != "value" { table.add(key, Table.number(value, places: 6)) }
            table.add("break-evens", breakEvens.isEmpty ? "none" : breakEvens.map { Table.number($0, places: 4) }.joined(separator: ", "))
            table.add("max profit", Self.describe(maxProfit))
            table.add("max loss", Self.describe(maxLoss))
            table.add("probability of profit", Table.number(probability, places: 4))
            if let exposure {
                table.add("delta-adjusted notional", Table.number(exposure.net, places: 2) + " (within the risk limits)")
                table.add("vega per volatility point", Table.number(exposure.vegaPerPoint, places: 2))
            }
            if let orderBody { table.add("mleg order", orderBody) }
            print(table.render())
        }
        if let plot {
            let title = "\(name)\(short ? " (short)" : ""): profit per share"
            do { try TextFileWriter.write(PayoffDiagramSVG.render(strategy, title: title), to: plot) } catch { throw CLIFailure(error.description) }
            if !json { print("wrote \(plot)") }
        }
    }

    /// With `--risk`: the position of `--contracts` of the strategy as risk lines (shares, and each
    /// option leg's contracts with its own delta and vega), checked against the limits; a breach is
    /// refused with every limit it breaks. Nil without `--risk`.
    func riskCheck(_ strategy: OptionStrategy) throws -> OptionBookRisk.Exposure? {
        guard let risk else {
            if equity != nil { throw ValidationError("--equity goes with --risk") }
            return nil
        }
        let limits: RiskLimits
        switch try RiskChoice(risk) {
        case .off: return nil
        case .defaults: limits = RiskLimits()
        case .file(let configured): limits = configured
        }
        let problems = limits.validate()
        guard problems.isEmpty else { throw ValidationError("--risk '\(risk)': " + problems.joined(separator: "; ")) }
        guard let text = equity, let amount = Money(text), amount > .zero, amount <= Money(1_000_000_000_000) else {
            throw ValidationError("--risk needs --equity, a positive amount of at most 10^12 (got \(equity ?? "nothing"))")
        }
        guard (1...10_000).contains(contracts) else { throw ValidationError("--contracts \(contracts): use 1 to 10000") }
        let spot = strategy.market.spot
        let root = mlegOrder.flatMap { $0.split(separator: ":").first.map(String.init) } ?? "underlying"
        let lines: [OptionBookRisk.Line] = strategy.legs.map { leg in
            switch leg.instrument {
            case .stock: return .stock(root, shares: leg.quantity * 100 * Double(contracts), spot: spot)
            case .option(let type, let strike, let expiry):
                let value = strategy.pricing.value(type, strategy.market.inputs(strike: strike, expiry: expiry))
                return .option(root, contracts: leg.quantity * Double(contracts), spot: spot, delta: value.delta, vega: value.vega)
            }
        }
        let check = OptionBookRisk(limits: limits)
        let breaches = check.problems(lines, equity: amount.doubleValue)
        guard breaches.isEmpty else {
            throw CLIFailure("the position is refused by the risk limits:\n" + breaches.map(\.detail).joined(separator: "\n"))
        }
        return OptionBookRisk.exposure(lines)
    }

    /// The mleg order body for `--mleg-order ROOT:DATE[:FAR-DATE]`, as compact JSON.
    func orderJSON(_ text: String, _ strategy: OptionStrategy) throws -> String {
        let parts = text.split(separator: ":").map(String.init)
        guard (2...3).contains(parts.count), let near = CivilDate(iso: parts[1]) else {
            throw ValidationError("--mleg-order '\(text)': write ROOT:YYYY-MM-DD, with :YYYY-MM-DD for the far expiration")
        }
        var expirations = [expiry: near]
        if parts.count == 3 {
            guard let farExpiry, let far = CivilDate(iso: parts[2]) else {
                throw ValidationError("--mleg-order '\(text)': a far expiration date goes with --far-expiry")
            }
            expirations[farExpiry] = far
        }
        guard (1...10_000).contains(contracts) else { throw ValidationError("--contracts \(contracts): use 1 to 10000") }
        var limit: Price?
        if let limitPrice {
            let negative = limitPrice.hasPrefix("-")
            guard let magnitude = Price(negative ? String(limitPrice.dropFirst()) : limitPrice) else {
                throw ValidationError("--limit-price '\(limitPrice)' is not a price")
            }
            limit = negative ? Price.zero - magnitude : magnitude
        }
        do {
            let body = try AlpacaMultiLegOrderBody.opening(strategy, root: parts[0], expirations: expirations, quantity: contracts,
                                                           limitPrice: limit, clientOrderID: clientOrderId)
            return String(decoding: body.json(), as: UTF8.self)
        } catch {
            throw ValidationError(error.description)
        }
    }

    static func greekRows(_ greeks: OptionValuation) -> [(String, Double)] {
        [("value", greeks.price), ("delta", greeks.delta), ("gamma", greeks.gamma), ("vega", greeks.vega), ("theta", greeks.theta),
         ("theta_per_day", greeks.thetaPerDay), ("rho", greeks.rho), ("dividend_rho", greeks.dividendRho)]
    }

    static func describe(_ extreme: OptionStrategy.Extreme) -> String {
        switch extreme {
        case .unbounded: "unbounded"
        case .finite(let amount, let spot): "\(Table.number(amount, places: 4)) at spot \(Table.number(spot, places: 4))"
        }
    }

    static func set(_ object: inout JSONObject, _ key: String, _ extreme: OptionStrategy.Extreme) {
        switch extreme {
        case .unbounded: object.set(key, "unbounded")
        case .finite(let amount, let spot):
            object.set(key, amount)
            object.set(key + "_spot", spot)
        }
    }

    static func parseStrikes(_ text: String) throws -> [Double] {
        try text.split(separator: ",").map { item in
            guard let value = Double(item.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw ValidationError("--strikes: '\(item)' is not a number")
            }
            return value
        }
    }

    /// quantity:stock or quantity:call|put:strike[:expiry], comma-separated.
    static func parseLegs(_ text: String, expiry: Double) throws -> [OptionLeg] {
        try text.split(separator: ",").enumerated().map { index, item in
            let fields = item.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            let place = "--legs item \(index + 1) '\(item)'"
            guard fields.count >= 2, let quantity = Double(fields[0]), quantity.isFinite else {
                throw ValidationError("\(place): write quantity:stock or quantity:call|put:strike[:expiry]")
            }
            if fields[1] == "stock" {
                guard fields.count == 2 else { throw ValidationError("\(place): stock takes no strike") }
                return .stock(quantity)
            }
            guard let type = OptionType(rawValue: fields[1]), fields.count == 3 || fields.count == 4,
                  let strike = Double(fields[2]), strike.isFinite else {
                throw ValidationError("\(place): write quantity:call|put:strike[:expiry]")
            }
            var legExpiry = expiry
            if fields.count == 4 {
                guard let value = Double(fields[3]), value.isFinite else { throw ValidationError("\(place): expiry '\(fields[3])' is not a number") }
                legExpiry = value
            }
            return OptionLeg(.option(type, strike: strike, expiry: legExpiry), quantity: quantity)
        }
    }
}
