import ArgumentParser
import PeregrineData
import PeregrineModels

struct OptionsPriceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "price",
        abstract: "Price an option and its Greeks (Black-Scholes-Merton, Black-76, a binomial tree or an American approximation).",
        discussion: """
            European options price in closed form under Black-Scholes-Merton with a continuous dividend \
            yield (--model bsm, the default), or Black-76 on a futures price (--model black76: --spot is the \
            future, which carries at the rate). American options (--style american) price on a binomial tree \
            with early exercise at every node: Leisen-Reimer (--model leisen-reimer, the default for \
            American; an even step count becomes the next odd one) or Cox-Ross-Rubinstein (--model crr); or by \
            the Barone-Adesi-Whaley quadratic approximation (--model baw), or the Bjerksund-Stensland \
            approximations, which price exercising at a flat boundary in closed form: the 2002 version with \
            two boundaries (--model bjs) or the 1993 version with one (--model bjs1993, QuantLib's \
            BjerksundStenslandApproximationEngine). The approximations' Greeks come from central differences.

            Conventions are QuantLib's: delta and gamma per unit of the underlying, vega per 1.00 of \
            volatility (per 1% is vega / 100), theta per year of calendar time and theta_per_day = theta / \
            365, rho and dividend_rho per 1.00 of the rate or yield. On a tree, delta and gamma come from the \
            tree's first steps, theta from the Black-Scholes equation at the root, vega and the rhos from \
            central differences.

            Examples:
              peregrine options price --type call --spot 100 --strike 105 --vol 0.25 --rate 0.04 --dividend 0.01 --expiry 0.5
              peregrine options price --type put --style american --steps 1001 --spot 100 --strike 105 --vol 0.25 --rate 0.04 --expiry 0.5 --json
              peregrine options price --type put --style american --model bjs --spot 95 --strike 100 --vol 0.3 --rate 0.05 --dividend 0.03 --expiry 0.5
              peregrine options price --type call --model black76 --spot 72.5 --strike 70 --vol 0.3 --rate 0.03 --expiry 0.25
            """
    )

    @OptionGroup var contract: OptionInputOptions

    @Option(help: ArgumentHelp("Annualized volatility, e.g. 0.25.", valueName: "vol"))
    var vol: Double

    @Option(help: ArgumentHelp("european or american.", valueName: "style"))
    var style: String = "european"

    @Option(help: ArgumentHelp("bsm, black76, crr, leisen-reimer, baw, bjs or bjs1993 (default: bsm for European, leisen-reimer for American).",
                               valueName: "model"))
    var model: String?

    @Option(help: ArgumentHelp("Steps of a binomial tree (2 to 100000).", valueName: "n"))
    var steps: Int = 801

    func run() throws {
        let type = try contract.optionType()
        guard style == "european" || style == "american" else { throw ValidationError("--style '\(style)': use european or american") }
        let american = style == "american"
        let chosen = model ?? (american ? "leisen-reimer" : "bsm")
        var inputs = try contract.inputs(volatility: vol)
        let valuation: OptionValuation
        switch chosen {
        case "bsm", "black76":
            guard !american else { throw ValidationError("--model \(chosen) prices European options; use crr or leisen-reimer for American ones") }
            if chosen == "black76" { inputs.dividend = inputs.rate }
            valuation = BlackScholesMerton.value(type, inputs)
        case "baw":
            guard american else { throw ValidationError("--model baw is an approximation for American options; give --style american") }
            valuation = BaroneAdesiWhaley.value(type, inputs)
        case "bjs", "bjs1993":
            guard american else { throw ValidationError("--model \(chosen) is an approximation for American options; give --style american") }
            valuation = BjerksundStensland.value(type, inputs, version: chosen == "bjs" ? .twoStep2002 : .flatBoundary1993)
        case "crr", "leisen-reimer":
            guard (2...100_000).contains(steps) else { throw ValidationError("--steps \(steps): use 2 to 100000") }
            let kind: BinomialTree.Kind = chosen == "crr" ? .coxRossRubinstein : .leisenReimer
            valuation = BinomialTree(kind: kind, steps: steps).value(type, inputs, american: american)
        default:
            throw ValidationError("--model '\(chosen)': use bsm, black76, crr, leisen-reimer, baw, bjs or bjs1993")
        }
        guard valuation.price.isFinite else {
            throw CLIFailure("--model \(chosen) gives no finite price for these inputs; use leisen-reimer")
        }
        let rows: [(String, Double)] = [("price", valuation.price), ("delta", valuation.delta), ("gamma", valuation.gamma),
                                        ("vega", valuation.vega), ("theta", valuation.theta), ("theta_per_day", valuation.thetaPerDay),
                                        ("rho", valuation.rho), ("dividend_rho", valuation.dividendRho)]
        if contract.json {
            var json = JSONObject()
            for (name, value) in rows { json.set(name, value) }
            print(json.render())
        } else {
            var table = Table()
            for (name, value) in rows { table.add(name, Table.number(value, places: 8)) }
            print(table.render())
        }
    }
}
