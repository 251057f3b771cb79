import Foundation
import PeregrineCore
import Testing

/// The process's memory as `/metrics` reports it, and the allocator giving freed heap pages back.
@Suite struct ProcessMemoryTests {
    /// The reading agrees with the kernel's other account of resident pages (`/proc/self/statm`), its parts
    /// add up to no more than the whole, and the descriptor count follows files opened and closed.
    @Test func theReadingMatchesTheKernelsAccount() throws {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        let residentPages = try #require(Int(statm[1]))
        let memory = try #require(ProcessMemory.reading())
        let fromStatm = residentPages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #expect(abs(memory.resident - fromStatm) < max(fromStatm / 10, 8 << 20), "\(memory.resident) against \(fromStatm)")
        #expect(memory.anonymous > 0 && memory.fileBacked > 0 && memory.anonymous + memory.fileBacked <= memory.resident + (4 << 20),
                "\(memory)")
        let before = memory.openDescriptors
        let handles = (0..<5).compactMap { _ in FileHandle(forReadingAtPath: "/proc/self/status") }
        try #require(handles.count == 5)
        let during = try #require(ProcessMemory.reading()).openDescriptors
        for handle in handles { try handle.close() }
        let after = try #require(ProcessMemory.reading()).openDescriptors
        // Other tests of the process open and close files meanwhile: the five show as a step up and down.
        #expect(during - before >= 4 && during - after >= 4, "before \(before), with five open \(during), after \(after)")
    }

    /// 256 MiB in small heap blocks, all freed but the last (which keeps the heap from shrinking at its
    /// top on its own): the pages stay resident until `releaseFreePages` hands them back.
    @Test func freedHeapPagesGoBackToTheSystem() throws {
        let block = 16 * 1024, count = 16 * 1024
        var blocks: [UnsafeMutableRawPointer] = []
        blocks.reserveCapacity(count)
        for _ in 0..<count {
            let pointer = UnsafeMutableRawPointer.allocate(byteCount: block, alignment: 16)
            pointer.initializeMemory(as: UInt8.self, repeating: 1, count: block)
            blocks.append(pointer)
        }
        for pointer in blocks.dropLast() { pointer.deallocate() }
        let held = try #require(ProcessMemory.reading()).anonymous
        ProcessMemory.releaseFreePages()
        let released = try #require(ProcessMemory.reading()).anonymous
        blocks.last?.deallocate()
        #expect(held - released >= 128 << 20, "anonymous memory \(held >> 20) MiB before the release, \(released >> 20) MiB after")
    }
}

/// The batch commands' allocator settings are ones glibc accepts (mallopt answers 1 for each; a value
/// beyond its range, such as a mapping threshold above 32 MiB, is answered 0). Their effect, the page
/// faults a run spares, is measured by the benchmark (BENCHMARKS.md), not here: another test trimming
/// the heap at the same moment would make a count in this process unreliable.
@Suite struct ProcessMemoryReuseTests {
    @Test func theAllocatorTakesTheBatchSettings() {
        #expect(ProcessMemory.keepFreedBlocksForReuse())
    }
}
