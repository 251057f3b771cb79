import PeregrineTestSupport
import Testing

/// `data validate` names the splits of raw data it was not told about, and only those.
@Suite struct DataValidateAnomalyTests {
    @Test func splitsAreListedUnlessTheCorporateActionsNameThem() throws {
        let file = TestPaths.fixture("aapl_daily_raw_2000.csv")
        let plain = try peregrine(["data", "validate", file])
        #expect(plain.status == 0, "\(plain.error)")
        #expect(plain.output.contains("anomaly: likely 2:1 split on 2000-06-21: close 101 on 2000-06-20, then open 50.5"))
        #expect(plain.output.contains("anomaly: outlier return on 2000-09-29"))
        let told = try peregrine(["data", "validate", file, "--corporate-actions", TestPaths.fixture("aapl_lean_factor_file.csv")])
        #expect(told.status == 0)
        #expect(!told.output.contains("likely"))
        #expect(told.output.contains("anomaly: outlier return on 2000-09-29"))
    }
}
