import PeregrineCore
import PeregrineData
import Testing

@Suite struct TradeConfigurationTests {
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
}
