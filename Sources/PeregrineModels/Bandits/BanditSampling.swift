import PeregrineCore

/// Random draws the bandits (and the capital allocator) share.
public enum BanditSampling {
    /// Gamma(shape, 1): Marsaglia and Tsang, with the boost u^(1/shape) for shape < 1.
    public static func gamma(shape: Double, generator: inout SeededGenerator) -> Double {
        if shape < 1 {
            let u = generator.nextUniform()
            return gamma(shape: shape + 1, generator: &generator) * Foundationless.pow(max(u, 1e-300), 1 / shape)
        }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            let x = generator.nextNormal()
            let v0 = 1 + c * x
            guard v0 > 0 else { continue }
            let v = v0 * v0 * v0
            let u = generator.nextUniform()
            if u < 1 - 0.0331 * x * x * x * x || Foundationless.log(u) < 0.5 * x * x + d * (1 - v + Foundationless.log(v)) {
                return d * v
            }
        }
    }
}
