import ArgumentParser

/// The `peregrine` command and its subcommands; `PeregrineCommandLine.main` runs it.
struct PeregrineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peregrine",
        abstract: "Research, backtest and trade systematic strategies.",
        discussion: """
            Examples:
              peregrine backtest --data synthetic --strategy sma-cross --param fast=10 --param slow=30
              peregrine backtest --data prices.csv --commission per-share:0.005,min=1 --out results
              peregrine sweep --data prices.csv --grid fast=5..50:1 --grid slow=20..200:2 --constraint "fast<slow" --out sweep
              peregrine analyze --data prices.csv --out stats.json
              peregrine indicators --data prices.csv --indicator sma:20 --indicator rsi:14 --out ind.csv
              peregrine stats adf --data prices.csv --log --out adf.json
              peregrine pairs scan --data prices/ --log --out pairs.csv
              peregrine data validate prices.csv
            """,
        subcommands: [BacktestCommand.self, SweepCommand.self, WalkForwardCommand.self, MonteCarloCommand.self, StressCommand.self, TuneCommand.self, AdaptCommand.self, PortfolioCommand.self, AnalyzeCommand.self, IndicatorsCommand.self, ModelsCommand.self, RiskCommand.self, DataCommand.self, DatabaseCommand.self, ExchangeCommand.self, TradeCommand.self, RunCommand.self, ServeCommand.self, MCPCommand.self, VetoCommand.self, AssistantCommand.self, StrategiesCommand.self, OptionsCommand.self, StatsCommand.self, PairsCommand.self]
    )
}
