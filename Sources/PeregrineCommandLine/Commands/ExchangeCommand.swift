import ArgumentParser
import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineEngine
import PeregrineExchange

struct ExchangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "Run a local exchange that speaks Alpaca's API, replaying bars, for offline paper trading.",
        discussion: """
            Serves account, clock, calendar, assets, positions (and closing them), orders (market, limit, \
            stop, stop-limit, trailing stop, bracket, OCO, OTO), orders by client order id, replace, cancel, \
            stock and crypto bars, latest quotes and trades, the trading stream (ws://.../stream, \
            trade_updates) and the market-data streams (ws://.../v2/iex for stocks, \
            ws://.../v1beta3/crypto/us for crypto: bars, quotes, trades) on 127.0.0.1, filling orders by the \
            backtest's rules. Symbols come from file names (AAPL.csv is AAPL) unless --symbol says \
            otherwise; with --asset-class crypto a pair's file is BASEQUOTE.csv (BTCUSD.csv, or BTC-USD.csv) \
            and trades as BTC/USD.

            Crypto trades around the clock: its orders fill on every bar, nights and weekends included; \
            they are market, limit or stop_limit, gtc or ioc, simple, in fractions, or notional (an amount \
            to spend, turned into a quantity at the latest close), and never sell more than is held. The \
            clock stays open while bars remain; the calendar is the stock market's, as Alpaca's.

            Quotes and trades are derived from the bars (there is no order book): each replayed bar prints \
            one trade at its close and one quote around it, bid and ask one basis point of the close away \
            (rounded down to the price increment, at least one increment), sizes a tenth of the bar's volume \
            (at least one lot), stamped with the bar's time; the trade's id is the bar's place in the replay. \
            The exchange's own fills reach clients over trade_updates, not as trades.

            With --corporate-actions FILE (a factor file or events, as for backtest) it lists the file's \
            splits and cash dividends at GET /v1/corporate-actions as Alpaca does (forward_splits, \
            reverse_splits, cash_dividends by ex-date) and applies them to the account as a broker does: \
            on a split the symbol's working orders are canceled and the position scales (a fraction of a \
            share paid in cash), on an ex-date the dividend is paid. A bot trading it names the same file \
            as [trade] corporate_actions, so its books follow.

            Options: every stock symbol has option contracts (GET /v2/options/contracts, with Alpaca's \
            filters and paging): weekly expirations on the Fridays of the next five weeks, calls and puts \
            at strikes within 20% of the latest close (steps of 0.50 below 25, 1 below 100, 2.50 below \
            250, 5 below 1,000, then 10), 100 shares a contract. It is a model-priced market: there are no \
            option quotes, every fill and mark is the American value (no dividend, rate --option-rate) at \
            the underlying's price with its realized volatility (the last 30 close-to-close returns, 30% \
            until there are 5), rounded to the cent: Black-Scholes for calls, and for puts at a rate of \
            zero or below, where early exercise is never worth more; Barone-Adesi-Whaley for puts at a \
            positive rate. Single-contract orders (OCC symbol, qty in contracts) and mleg orders (2 to 4 \
            legs with ratio_qty, side or position_intent; market, or limit on the net price: positive a \
            debit, negative a credit) take time_in_force day only, as Alpaca's, and fill whole on the \
            underlying's next bar at the model's price on its open; a limit not met rests, is checked \
            again on each later bar, and expires at the end of its day (an expired update on \
            trade_updates); DELETE /v2/orders/{id} cancels it.

            The account has Alpaca's options levels (--options-level, 3 by default as on Alpaca's \
            paper accounts): 1 sells covered calls (100 shares held a contract) and cash-secured puts, \
            2 also buys calls and puts, 3 also trades mleg spreads; no level sells an uncovered call. \
            GET /v2/account shows options_buying_power (cash less the collateral of the option \
            positions and what working option orders hold), options_approved_level and \
            options_trading_level. A long contract needs its premium, a cash-secured put its strike x \
            100 less its premium, an mleg order its premium plus its maximum loss at expiry; a refusal \
            is Alpaca's 403 naming what was required and what was available.

            POST /v2/positions/{symbol}/exercise exercises a long contract now (early too) into 100 \
            shares each at the strike. At expiry (the first bar of a later day) \
            a contract in the money by a cent or more at the last close is exercised (long) or assigned \
            (short) into stock at the strike, the rest expire worthless; GET /v2/account/activities \
            lists those events as Alpaca does (OPEXC, OPASN, OPEXP, and OPTRD for the stock trade).

            Clients authenticate with the key pair in \
            APCA_API_KEY_ID and APCA_API_SECRET_KEY; without them a pair is generated and printed. \
            Time moves at --speed (60x: a one-minute bar each second) or, with --speed manual, only on \
            POST /peregrine/advance?bars=N (N bars) or ?steps=N (N timestamps, every symbol's bar of \
            each). Stop with Ctrl-C.

            With --fault-rate R the exchange misbehaves as a network does, for clients to prove they \
            survive it: a share R of the requests to Alpaca's API (never the clock's /peregrine/ ones) gets, \
            in equal parts at random, a 429 with Retry-After: 1 before the request reaches the exchange, a \
            500 before it does, or a lost response: the exchange acts on the request and the connection \
            closes before the answer arrives. --fault-seed makes the draws repeatable; the counts of each \
            are printed when the exchange stops. POST /peregrine/drop_streams closes every stream \
            connection (clients must reconnect and catch up).

            Examples:
              peregrine exchange --data synthetic --speed 60x --port 8123
              peregrine exchange --data prices/ --speed manual --port 0
              peregrine exchange --data crypto/BTCUSD.csv --asset-class crypto --port 8124
              peregrine exchange --data aapl.csv --symbol AAPL --corporate-actions aapl_factors.csv --speed manual --port 0
              peregrine exchange --data prices/ --speed manual --port 0 --fault-rate 0.001 --fault-seed 7
              peregrine exchange --data synthetic:bars=500,symbol=SYN --option-rate 0.04 --speed manual --port 0
              peregrine exchange --data synthetic:bars=500,symbol=SYN --options-level 2 --speed manual --port 0
              # then, e.g. with alpaca-py: TradingClient(key, secret, url_override="http://127.0.0.1:8123")
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("Port on 127.0.0.1 (0 picks a free one and prints it).", valueName: "port"))
    var port: Int = 8123

    @Option(help: ArgumentHelp("Replay speed: Nx (N times real time) or manual.", valueName: "speed"))
    var speed: String = "60x"

    @Option(help: ArgumentHelp("Starting cash of the account.", valueName: "amount"))
    var cash: String = "100000"

    @Option(help: ArgumentHelp("Bars replayed before the first client connects (history to warm up on).", valueName: "n"))
    var warmup: Int = 0

    @Option(help: ArgumentHelp("Share of API requests answered by a fault: a 429, a 500 or a lost response (0 to 0.5).", valueName: "rate"))
    var faultRate: Double = 0

    @Option(help: ArgumentHelp("Seed of the fault draws, so a faulty run repeats.", valueName: "n"))
    var faultSeed: UInt64 = 1

    @Option(help: ArgumentHelp("Risk-free rate (continuous, per year) in the options' model prices, -0.1 to 1.", valueName: "rate"))
    var optionRate: Double = 0

    @Option(help: ArgumentHelp("Alpaca options trading level of the account: 0 none, 1 covered calls and cash-secured puts, 2 also long calls and puts, 3 also spreads (mleg).", valueName: "level"))
    var optionsLevel: Int = 3

    func run() async throws {
        // A long-running process: large blocks it frees go back to the system (see ProcessMemory).
        ProcessMemory.mapLargeBlocks()
        guard faultRate.isFinite, (0...0.5).contains(faultRate) else { throw ValidationError("--fault-rate \(faultRate): expected 0 to 0.5") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port): expected 0 to 65535") }
        guard let money = Money(cash), money > .zero else { throw ValidationError("--cash '\(cash)': expected a positive amount") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more") }
        guard (0...3).contains(optionsLevel) else { throw ValidationError("--options-level \(optionsLevel): expected 0, 1, 2 or 3") }
        guard optionRate.isFinite, (-0.1...1).contains(optionRate) else {
            throw ValidationError("--option-rate \(optionRate): expected a rate from -0.1 to 1 (0.04 is 4% a year)")
        }
        var multiplier: Double?
        if speed != "manual" {
            guard speed.hasSuffix("x"), let value = Double(speed.dropLast()), value > 0, value.isFinite else {
                throw ValidationError("--speed '\(speed)': use Nx such as 60x, or manual")
            }
            multiplier = value
        }
        let sources = try dataOptions.load(default: "synthetic")
        let series = sources.map(\.series).filter { !$0.isEmpty }
        guard !series.isEmpty else { throw CLIFailure("no bars to replay") }

        let keys: AlpacaCredentials
        if let fromEnvironment = try? AlpacaCredentials.fromEnvironment() {
            keys = fromEnvironment
            FileHandle.standardOutput.write(Data("keys: APCA_API_KEY_ID \(keys.keyID) (secret from APCA_API_SECRET_KEY)\n".utf8))
        } else {
            // A throwaway pair for this exchange only; it guards nothing but this local process.
            let key = "PKLOCAL" + String(UInt64.random(in: 0...UInt64.max), radix: 36).uppercased()
            let secret = (0..<2).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 36) }.joined()
            keys = AlpacaCredentials(keyID: key, secret: secret)
            FileHandle.standardOutput.write(Data("keys: export APCA_API_KEY_ID=\(key) APCA_API_SECRET_KEY=\(secret)\n".utf8))
        }
        let exchange = LocalExchange(series: series, cash: money, credentials: keys, optionRate: optionRate,
                                     optionsLevel: optionsLevel)
        if dataOptions.corporateActions != nil {
            // Listed at GET /v1/corporate-actions and applied to the account, as a broker does.
            await exchange.serveCorporateActions(try dataOptions.corporateActions(symbols: series.map(\.instrument.symbol)))
        }
        if warmup > 0 { await exchange.advance(bars: warmup) }
        let symbols = series.map { "\($0.instrument.symbol) (\($0.count) bars)" }.joined(separator: ", ")
        let interval = series.map(\.typicalInterval).min() ?? Timestamp.nanosPerMinute

        let pacing: Task<Void, Never>? = multiplier.map { multiplier in
            Task {
                let seconds = Double(interval) / 1e9 / multiplier
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(max(seconds, 0.001) * 1e9))
                    if await exchange.advance(bars: series.count) == 0 { break }
                }
            }
        }
        defer { pacing?.cancel() }
        let faults = faultRate > 0 ? FaultInjectingTransport(InProcessTransport(exchange), rate: faultRate, seed: faultSeed) : nil
        try await ExchangeServer(exchange: exchange, port: port, faults: faults).run { bound in
            // Written straight to the descriptor so a script reading the port sees it at once.
            let line = "listening on http://127.0.0.1:\(bound)  symbols: \(symbols)  speed: \(speed)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        if let faults {
            // Said when the exchange stops, so a benchmark can report what its clients survived.
            let injected = await faults.injected
            let counts = FaultInjectingTransport.Fault.allCases.map { "\($0.rawValue) \(injected[$0] ?? 0)" }.joined(separator: ", ")
            FileHandle.standardOutput.write(Data("faults injected: \(counts)\n".utf8))
        }
    }
}
