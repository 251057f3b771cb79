import ArgumentParser

struct VetoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "veto",
        abstract: "A language model reviewing entries before they are sent ([veto]): record its answers on a history.",
        discussion: """
            The [veto] table of a trade or run configuration puts an OpenAI-compatible chat-completions model \
            (a local llama.cpp or Ollama server works) in front of every entry: it answers allow or veto with a \
            reason, within a timeout and a daily budget, and on_failure decides what a timeout, a malformed \
            answer, an error or a spent budget means. Its answers can be recorded and replayed by backtests, so \
            a run with the veto is reproducible.

            Examples:
              peregrine veto record --data prices.csv --strategy sma-cross --config veto.toml --out veto-answers.jsonl
              peregrine backtest --data prices.csv --strategy sma-cross --veto-answers veto-answers.jsonl
            """,
        subcommands: [VetoRecordCommand.self]
    )
}
