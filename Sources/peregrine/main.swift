import PeregrineCommandLine

await PeregrineCommandLine.main()
