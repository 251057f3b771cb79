#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PeregrineStorage

/// Opens a store file with other processes taking turns: shards of a sweep started at once on a new
/// SQLite file would otherwise all create and migrate it at the same moment, and all but one fail.
/// The turn is an advisory lock on `FILE.lock` beside it, held only while the store opens. A store
/// named by URL (a database server) orders its own migrations and is opened directly.
enum StoreFileLock {
    static func store(at path: String) throws -> TradingStore {
        guard !StoreLocation.isURL(path) else { return try TradingStore(path: path) }
        let descriptor = open(path + ".lock", O_CREAT | O_RDWR, 0o600)
        guard descriptor >= 0 else { throw CLIFailure("\(path).lock: cannot open the lock file beside the store (errno \(errno))") }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw CLIFailure("\(path).lock: cannot take the lock (errno \(errno))") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try TradingStore(path: path)
    }
}
