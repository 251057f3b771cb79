import PeregrineCommandLine

// The whole peregrine command line, with one more strategy: try
// `swift run my-peregrine backtest --data synthetic --strategy channel-breakout --param entry=55`.
await PeregrineCommandLine.main(registering: [ChannelBreakout.self])
