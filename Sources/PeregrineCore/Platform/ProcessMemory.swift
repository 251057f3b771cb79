#if canImport(Glibc)
import Glibc
#endif

/// What a long-running process (a bot fleet, the control API) holds in memory, and the allocator
/// settings that let it give memory back. A parity check or a backtest asked of the API allocates
/// in proportion to the run so far and frees it when done; glibc's allocator, left to itself,
/// raises its threshold for mapping large blocks after each one freed and then keeps such blocks
/// in the heap, so resident memory would climb a step with each check of a longer run.
public enum ProcessMemory {
    /// Resident memory as the kernel counts it (`/proc/self/status`), in bytes; nil where unknown.
    public struct Reading: Equatable, Sendable {
        /// All resident pages.
        public var resident: Int
        /// Anonymous pages: the heap and stacks, what the process allocated.
        public var anonymous: Int
        /// Pages of mapped files: the binary and its libraries as far as they were touched.
        public var fileBacked: Int
        /// Open file descriptors.
        public var openDescriptors: Int
    }

    /// glibc's `mallopt(option, value)`.
    private typealias MallOpt = @convention(c) (Int32, Int32) -> Int32

    /// Large blocks in their own mappings, handed back to the system when freed, at a fixed threshold
    /// (which also turns off glibc's adjusting of it). Called once at the start of a long-running command.
    public static func mapLargeBlocks(from bytes: Int = 128 * 1024) {
        // mallopt(M_MMAP_THRESHOLD, bytes); <malloc.h> is not in the Glibc module, so looked up by name.
        guard let mallopt = glibcFunction("mallopt", as: MallOpt.self) else { return }
        _ = mallopt(-3, Int32(clamping: bytes))   // -3: M_MMAP_THRESHOLD
    }

    /// The opposite, for a batch of backtests in one process (a sweep, a walk-forward, a benchmark):
    /// each run allocates and frees the same large arrays, and handing them back to the system after
    /// every run makes the next one fault each page in afresh. Blocks up to 32 MiB come from the heap and
    /// the heap keeps up to 1 GiB of free top; the command ends when its work does.
    /// Returns whether the allocator took both settings.
    @discardableResult
    public static func keepFreedBlocksForReuse() -> Bool {
        guard let mallopt = glibcFunction("mallopt", as: MallOpt.self) else { return false }
        let mapping = mallopt(-3, 32 << 20)   // M_MMAP_THRESHOLD (its largest value)
        let trimming = mallopt(-1, 1 << 30)   // M_TRIM_THRESHOLD
        return mapping == 1 && trimming == 1
    }

    /// Returns the free pages inside the heap to the system (after a large piece of work is freed).
    public static func releaseFreePages() {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let trim = glibcFunction("malloc_trim", as: MallocTrim.self) else { return }
        _ = trim(0)
    }

    /// A C library function found by name at run time (nil on a libc without it, e.g. musl's static build).
    private static func glibcFunction<F>(_ name: String, as type: F.Type) -> F? {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
        #else
        return nil
        #endif
    }

    /// The process's resident memory now; nil where `/proc` cannot be read.
    public static func reading() -> Reading? {
        guard let status = readText("/proc/self/status") else { return nil }
        var values: [Substring: Int] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, ["VmRSS", "RssAnon", "RssFile"].contains(parts[0]) else { continue }
            // "\t  12345 kB"
            if let kib = Int(parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") { values[parts[0]] = kib * 1024 }
        }
        guard let resident = values["VmRSS"] else { return nil }
        return Reading(resident: resident, anonymous: values["RssAnon"] ?? 0, fileBacked: values["RssFile"] ?? 0,
                       openDescriptors: countDescriptors())
    }

    private static func readText(_ path: String) -> String? {
        #if canImport(Glibc)
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var text = ""
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            text += String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return text
        #else
        return nil
        #endif
    }

    private static func countDescriptors() -> Int {
        #if canImport(Glibc)
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { count += 1 }
        }
        return max(count - 1, 0)   // less the directory being read
        #else
        return 0
        #endif
    }
}
