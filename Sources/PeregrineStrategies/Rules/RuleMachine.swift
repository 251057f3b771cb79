import PeregrineCore
import PeregrineEngine

/// One instrument's compiled rules: the nodes of every rule in evaluation order, advanced once per
/// bar, and the root node of each rule.
final class RuleMachine {
    private let inputs = RuleInputs()
    private let nodes: [RuleNode]
    /// The same nodes, unretained, for the per-bar loop: `nodes` keeps every one alive as long as the
    /// machine, so advancing them needs no retain and release (two atomic operations per node and
    /// bar, which cost a small rule set more than its arithmetic).
    private let unretained: [Unmanaged<RuleNode>]
    /// The root of each rule, in `Role.allCases` order (nil where the rule is absent).
    private let roots: [RuleNode?]
    private var bars = 0
    private var heldSince: Int?

    /// `context` and `instrument` are what a `tf()` reads its coarser bars from; without a context
    /// (the rules only being checked) a `tf()` stays undefined.
    init(rules: [RulesStrategy.Role: RuleExpression], parameters: [String: Double], sessionZone: ZoneRule,
         context: StrategyContext? = nil, instrument: InstrumentID = InstrumentID(0)) throws(RuleError) {
        inputs.context = context
        inputs.instrument = instrument
        let compiler = RuleCompiler(inputs: inputs, parameters: parameters, sessionZone: sessionZone)
        var roots: [RuleNode?] = []
        for role in RulesStrategy.Role.allCases {
            roots.append(try rules[role].map { rule throws(RuleError) in try compiler.compileCondition(rule, rule: role.rawValue) })
        }
        self.roots = roots
        nodes = compiler.nodes
        unretained = nodes.map { Unmanaged.passUnretained($0) }
    }

    /// Feeds one bar and the position as it stands after the bar's fills.
    func advance(_ bar: Bar, position: Position) {
        inputs.bar = bar
        if position.isFlat {
            heldSince = nil
        } else if heldSince == nil {
            heldSince = bars
        }
        inputs.position = position.isLong ? 1 : (position.isShort ? -1 : 0)
        inputs.barsHeld = heldSince.map { Double(bars - $0) } ?? 0
        inputs.entryPrice = position.averagePrice?.doubleValue ?? .nan
        bars += 1
        for node in unretained { node._withUnsafeGuaranteedRef { $0.evaluate() } }
    }

    /// How many nodes are advanced each bar (a subexpression used twice counts once).
    var nodeCount: Int { nodes.count }

    /// Whether the rule of `role` holds on the last bar (false when there is no such rule).
    func holds(_ role: RulesStrategy.Role) -> Bool { roots[role.position]?.value == 1 }
}
