import PeregrineModels
import Testing

/// Block moments stored as text by one machine and read by another must come back to the bit, or
/// a collected sweep's significance figures would drift from the one-machine sweep's.
@Suite struct ReturnMomentsExactTextTests {
    @Test func everyDoubleComesBackToTheBit() throws {
        let awkward: [Double] = [0.1, -0.0, 5e-324, 2.225_073_858_507_201e-308, 1.797_693_134_862_315_7e308, .infinity, -.infinity,
                                 .nan, -Double.nan, Double(bitPattern: 0x7ff8_0000_0000_0123), 1.0 / 3, -123_456.789e-17]
        let blocks = stride(from: 0, to: awkward.count, by: 4).map { start in
            ReturnMoments(count: start * 1_000_003, sum: awkward[start], sumOfSquares: awkward[start + 1], sumOfCubes: awkward[start + 2],
                          sumOfFourthPowers: awkward[start + 3])
        }
        let text = ReturnMoments.exactText(of: blocks)
        let back = try #require(ReturnMoments.blocks(exactText: text))
        // ReturnMoments' == compares bit patterns, so NaN payloads and signs count.
        #expect(back == blocks)
        #expect(back[2].sumOfSquares.bitPattern == 0x7ff8_0000_0000_0123 && back[2].sum.bitPattern == (-Double.nan).bitPattern)
        #expect(back[0].sumOfSquares.bitPattern == (-0.0).bitPattern && back[0].sumOfCubes.bitPattern == 1)
        #expect(ReturnMoments.blocks(exactText: "") == [])
    }

    @Test func malformedTextIsRefused() {
        for bad in ["1:2:3:4", "1:2:3:4:5:6", "x:1:2:3:4", "-1:0:0:0:0", "1:0:0:0:zero", "1:0:0:0:0 2:0:0"] {
            #expect(ReturnMoments.blocks(exactText: bad) == nil, "\(bad)")
        }
    }
}
