import Foundation

/// Where the repository, its committed fixtures and the shared market data are, for tests.
public enum TestPaths {
    /// The repository root (two levels above this file).
    public static let repository: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    public static func fixture(_ name: String) -> String { repository + "/Tests/Fixtures/" + name }

    /// The real market data beside the repository (`../shared/data`); absent in a user's clone.
    public static let sharedData: String = repository + "/../shared/data"

    public static func sharedFile(_ name: String) -> String { sharedData + "/" + name }

    /// Whether the shared data is there; tests that need it are disabled with a message when not.
    public static var sharedDataAvailable: Bool {
        FileManager.default.fileExists(atPath: sharedData + "/orcl_daily.csv")
    }

    public static let sharedDataMissing = "needs ../shared/data beside the repository (real market data, not in the repository)"

    /// The built command-line tool.
    public static let executable: String = repository + "/.build/debug/peregrine"

    /// A fresh temporary folder.
    public static func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "peregrine-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
