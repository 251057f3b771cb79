extension Johansen {
    /// 90%, 95% and 99% critical values by the number of series in the hypothesis (1 to 6) from MacKinnon,
    /// Haug and Michelis (1999, "Numerical distribution functions of likelihood ratio tests for
    /// cointegration", J. Applied Econometrics 14), computed with MacKinnon's johdist as LeSage's
    /// Econometrics Toolbox and statsmodels tabulate them.
    enum CriticalValueTable {
        static func trace(_ deterministic: Deterministic) -> [[Double]] {
            switch deterministic {
            case .none:
                [[2.9762, 4.1296, 6.9406], [10.4741, 12.3212, 16.364], [21.7781, 24.2761, 29.5147],
                 [37.0339, 40.1749, 46.5716], [56.2839, 60.0627, 67.6367], [79.5329, 83.9383, 92.7136]]
            case .constant:
                [[2.7055, 3.8415, 6.6349], [13.4294, 15.4943, 19.9349], [27.0669, 29.7961, 35.4628],
                 [44.4929, 47.8545, 54.6815], [65.8202, 69.8189, 77.8202], [91.109, 95.7542, 104.9637]]
            case .trend:
                [[2.7055, 3.8415, 6.6349], [16.1619, 18.3985, 23.1485], [32.0645, 35.0116, 41.0815],
                 [51.6492, 55.2459, 62.5202], [75.1027, 79.3422, 87.7748], [102.4674, 107.3429, 116.9829]]
            }
        }

        static func maxEigen(_ deterministic: Deterministic) -> [[Double]] {
            switch deterministic {
            case .none:
                [[2.9762, 4.1296, 6.9406], [9.4748, 11.2246, 15.0923], [15.7175, 17.7961, 22.2519],
                 [21.837, 24.1592, 29.0609], [27.916, 30.4428, 35.7359], [33.9271, 36.6301, 42.2333]]
            case .constant:
                [[2.7055, 3.8415, 6.6349], [12.2971, 14.2639, 18.52], [18.8928, 21.1314, 25.865],
                 [25.1236, 27.5858, 32.7172], [31.2379, 33.8777, 39.3693], [37.2786, 40.0763, 45.8662]]
            case .trend:
                [[2.7055, 3.8415, 6.6349], [15.0006, 17.1481, 21.7465], [21.8731, 24.2522, 29.2631],
                 [28.2398, 30.8151, 36.193], [34.4202, 37.1646, 42.8612], [40.5244, 43.4183, 49.4095]]
            }
        }
    }
}
