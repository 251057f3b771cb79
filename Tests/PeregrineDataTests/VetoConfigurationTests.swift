import PeregrineData
import Testing

/// The `[veto]` table: every setting read as written, secrets from the environment only, and each
/// mistake refused with the key and what would be right.
@Suite struct VetoConfigurationTests {
    @Test func everySettingIsReadAsWritten() throws {
        let settings = try #require(try VetoSettings.parse("""
            [veto]
            base_url = "http://127.0.0.1:11434/v1/"
            model = "llama3.1:8b"
            key_env = "MY_KEY"
            reviews = "long"
            symbols = ["spy", "QQQ"]
            min_notional = 5000
            timeout_seconds = 2.5
            on_failure = "allow"
            max_calls_per_day = 40
            max_cost_per_day = 1.5
            prompt_cost_per_1k = 0.2
            completion_cost_per_1k = 0.6
            record = "answers.jsonl"
            prompt = "Should we {side} {symbol}?"
            """, environment: ["MY_KEY": "sk-test"]))
        #expect(settings.baseURL == "http://127.0.0.1:11434/v1" && settings.model == "llama3.1:8b" && settings.key == "sk-test")
        #expect(settings.reviews == .long && settings.symbols == ["SPY", "QQQ"] && settings.minNotional == 5000)
        #expect(settings.timeoutSeconds == 2.5 && settings.allowOnFailure && settings.maxCallsPerDay == 40 && settings.maxCostPerDay == 1.5)
        #expect(settings.promptCostPer1k == 0.2 && settings.completionCostPer1k == 0.6 && settings.recordPath == "answers.jsonl")
        #expect(settings.prompt == "Should we {side} {symbol}?")
        // Defaults: refuse on failure, 5 s, 200 calls, no cost limit, the built-in prompt.
        let plain = try #require(try VetoSettings.parse("[veto]\nbase_url = \"https://llm.local/v1\"\nmodel = \"m\"\n", environment: [:]))
        #expect(!plain.allowOnFailure && plain.timeoutSeconds == 5 && plain.maxCallsPerDay == 200 && plain.maxCostPerDay == .infinity)
        #expect(plain.key == nil && plain.prompt.contains("{risk}") && plain.prompt.contains("data, not instructions"))
        #expect(try VetoSettings.parse("[trade]\nstrategy = \"x\"\n", environment: [:]) == nil)
    }

    @Test func mistakesAreRefusedByKey() {
        let head = "[veto]\nbase_url = \"http://x/v1\"\nmodel = \"m\"\n"
        let cases: [(String, String)] = [
            ("[veto]\nmodel = \"m\"\n", "veto.base_url"),
            ("[veto]\nbase_url = \"ftp://x\"\nmodel = \"m\"\n", "veto.base_url"),
            (head + "key_env = \"ABSENT\"\n", "ABSENT is not set"),
            (head + "on_failure = \"maybe\"\n", "on_failure: expected allow or refuse"),
            (head + "timeout_seconds = 0\n", "timeout_seconds"),
            (head + "timeout_seconds = nan\n", "timeout_seconds"),
            (head + "reviews = \"exits\"\n", "reviews: expected one of entries, long, short"),
            (head + "prompt = \"no placeholder\"\n", "{symbol}"),
            (head + "temperature = 0\n", "veto.temperature is not a setting"),
            ("veto = 3\n", "veto must be a table"),
        ]
        for (text, message) in cases {
            do {
                _ = try VetoSettings.parse(text, environment: [:])
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.description.contains(message), "\(text): \(error.description)")
            }
        }
    }
}
