import PeregrineCore
import PeregrineData
import PeregrineLive
import Testing

/// The gross exposure limit of all the bots of one account (`[account_risk] max_gross_exposure`),
/// with the sums worked out by hand.
@Suite struct AccountExposureTests {
    @Test func anEntryIsRefusedWhenTheBotsTogetherWouldPassTheLimit() throws {
        let account = AccountExposure(limit: Money(25_000))
        let trend = account.member("trend").limit, holder = account.member("holder").limit
        account.record(bot: "holder", exposure: Money("12000.50")!)
        account.record(bot: "trend", exposure: Money(999_999))   // its own report never counts against itself
        // 3,000 + 9,999.50 + 12,000.50 = 25,000: at the limit is allowed; a cent more is not.
        #expect(trend.check(exposure: Money(3_000), notional: Money("9999.50")!) == nil)
        let refused = try #require(trend.check(exposure: Money(3_000), notional: Money("9999.51")!))
        #expect(refused.code == .accountExposure)
        #expect(refused.detail == "the account's gross exposure would be 25000.01 (this bot 3000.00, this order 9999.51, other bots "
                + "12000.50), past its limit 25000.00", "\(refused.detail)")
        // The holder sees trend's report: 999,999 already passes the limit.
        #expect(holder.check(exposure: .zero, notional: Money(1))?.code == .accountExposure)
        account.record(bot: "trend", exposure: .zero)
        #expect(holder.check(exposure: Money("12000.50")!, notional: Money("12999.50")!) == nil)
    }

    @Test func theConfigurationTakesAnExactAmount() throws {
        let settings = try #require(try AccountRiskSettings.parse("[account_risk]\nmax_gross_exposure = \"250000.25\"\n"))
        #expect(settings.maxGrossExposure == Money("250000.25") && settings.dailyLossLimit == nil && settings.maxDrawdown == nil)
        #expect(try AccountRiskSettings.parse("[account_risk]\nmax_gross_exposure = 300000\n")?.maxGrossExposure == Money(300_000))
        for text in ["[account_risk]\nmax_gross_exposure = -5\n", "[account_risk]\nmax_gross_exposure = \"lots\"\n",
                     "[account_risk]\nmax_gross_exposure = 0\n"] {
            #expect { try AccountRiskSettings.parse(text) } throws: {
                "\($0)".contains("account_risk.max_gross_exposure: expected a positive amount")
            }
        }
    }
}
