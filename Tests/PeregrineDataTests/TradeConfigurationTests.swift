import PeregrineCore
import PeregrineData
import Testing

@Suite struct TradeConfigurationTests {
    /// `[trade.portfolio]` in place of strategy: sleeves, allocation, rebalancing; each mistake named.
    @Test func aPortfolioTableNamesTheSleeves() throws {
        let text = """
            [trade]
            symbols = ["SYN"]
            timeframe = "1Min"
            [trade.portfolio]
            sleeves = ["sma-cross:fast=10,slow=30,percent=0.45", "rsi-bollinger:percent=0.45"]
            allocation = "thompson"
            rebalance_bars = 390
            floor = 0.1
            memory = 0.9
            seed = 7
            """
        let configuration = try TradeConfiguration.parse(text)
        #expect(configuration.strategy == "portfolio")
        #expect(configuration.portfolio?.sleeves == ["sma-cross:fast=10,slow=30,percent=0.45", "rsi-bollinger:percent=0.45"])
        #expect(configuration.portfolio?.rule == .thompson(floor: 0.1, seed: 7, memory: 0.9) && configuration.portfolio?.rebalanceBars == 390)
        let fixed = try TradeConfiguration.parse(text.replacingOccurrences(of: "\"thompson\"", with: "\"static:0.25,0.75\""))
        #expect(fixed.portfolio?.rule == .staticWeights([0.25, 0.75]))
        let mistakes: [(from: String, to: String, message: String)] = [
            ("\"thompson\"", "\"static:0.5,0.6\"", "2 non-negative weights summing to 1"),
            ("floor = 0.1", "floor = 0.6", "floor 0.6 is too high"),
            ("rebalance_bars = 390", "rebalance_bars = 0", "rebalance_bars: expected a whole number"),
            ("seed = 7", "seeds = 7", "trade.portfolio.seeds is not a setting"),
            ("timeframe", "strategy = \"sma-cross\"\ntimeframe", "replaces trade.strategy"),
        ]
        for (from, to, message) in mistakes {
            do {
                _ = try TradeConfiguration.parse(text.replacingOccurrences(of: from, with: to), source: "p.toml")
                Issue.record("\(to) must be refused")
            } catch {
                #expect(error.description.contains("p.toml: ") && error.description.contains(message), "\(error.description)")
            }
        }
    }

    @Test func theTradeTableIsReadAndCheckedKeyByKey() throws {
        let text = """
            [trade]
            strategy = "signaling-game"
            symbols = ["AAPL", "MSFT"]
            timeframe = "1Day"
            warmup_bars = 300
            adapt_thresholds = true
            bar_stream = "iex"
            schedule = "daily 15:45 America/New_York"
            [trade.parameters]
            min_prob_up = 0.56
            horizon = 5
            """
        let configuration = try TradeConfiguration.parse(text)
        #expect(configuration.strategy == "signaling-game" && configuration.symbols == ["AAPL", "MSFT"] && configuration.warmUpBars == 300)
        #expect(configuration.adaptThresholds && !configuration.allowShort && configuration.cancelOpenOrdersOnStop)
        #expect(configuration.parameters == ["min_prob_up": "0.56", "horizon": "5"])
        #expect(configuration.barStream == "iex" && configuration.schedule == .daily(minute: 945, zone: .usEastern))
        do {
            _ = try TradeConfiguration.parse(text.replacingOccurrences(of: "daily 15:45", with: "daily 25:45"), source: "t.toml")
            Issue.record("a bad schedule must be refused")
        } catch {
            #expect(error.description.contains("t.toml: trade.schedule 'daily 25:45 America/New_York'"), "\(error.description)")
        }
        #expect(throws: ConfigurationFileError.self) { try TradeConfiguration.parse(text.replacingOccurrences(of: "\"iex\"", with: "\"nasdaq\"")) }
        #expect(try !TradeConfiguration.parse(text.replacingOccurrences(of: "adapt_thresholds = true\n", with: "")).adaptThresholds)
        #expect(throws: ConfigurationFileError.self) {
            try TradeConfiguration.parse(text.replacingOccurrences(of: "adapt_thresholds = true", with: "adapt_thresholds = \"yes\""))
        }
        do {
            _ = try TradeConfiguration.parse(text.replacingOccurrences(of: "adapt_thresholds", with: "adapt_threshold"), source: "t.toml")
            Issue.record("an unknown key must be refused")
        } catch {
            #expect(error.description.contains("t.toml: trade.adapt_threshold is not a setting"))
        }
    }

    /// How much of its past a bot keeps in memory: `history_bars` (5,000 unless set) and
    /// `history_records` (fills, trips, decisions and settled orders; 250 unless set), each a whole
    /// number from 1 to 100,000,000.
    @Test(arguments: [("history_bars", "bars", 5_000), ("history_records", "records", 250)])
    func aKeptPastIsAWholeNumber(key: String, unit: String, standard: Int) throws {
        let text = "[trade]\nstrategy = \"sma-cross\"\nsymbols = [\"SYN\"]\ntimeframe = \"1Min\"\n"
        let kept = { (file: TradeConfiguration) in key == "history_bars" ? file.historyBars : file.historyRecords }
        #expect(kept(try TradeConfiguration.parse(text)) == standard)
        #expect(kept(try TradeConfiguration.parse(text + "\(key) = 800\n")) == 800)
        for bad in ["0", "-5", "2.5", "\"many\"", "100000001"] {
            do {
                _ = try TradeConfiguration.parse(text + "\(key) = \(bad)\n", source: "h.toml")
                Issue.record("\(key) = \(bad) must be refused")
            } catch {
                #expect(error.description.contains("h.toml: trade.\(key): expected a whole number of \(unit) from 1 to 100,000,000"),
                        "\(error.description)")
            }
        }
    }
}
