import Foundation

// MARK: - Yes/no check

/// One yes/no check of an instance against a `CompiledSchema`. It walks as `SchemaEvaluator.eval` does and takes
/// one evaluation from the same budget at the same places; instead of violations it answers true/false, and it stops
/// at the first failure that no enclosing `anyOf` / `oneOf` / `not` / `if` / `contains` can excuse (the instance is
/// then invalid whatever follows). Instance locations are counted, not spelled: along one chain of nested calls two
/// locations are equal when no step into the instance separates them, which is what the `$ref` loop rule needs.
struct SchemaCheck {
    private var left: Int
    private(set) var exhausted = false
    /// A decisive failure was met: every further step returns at once.
    private var stopped = false
    /// How many enclosing keywords may excuse a failure (an alternative, a condition…).
    private var tentative = 0
    /// The `$ref`s being followed, with the instance depth where each was met.
    private var chain: [(ref: Int, at: Int)] = []
    let singleValuesAsArrays: Bool

    init(budget: Int, singleValuesAsArrays: Bool) {
        left = budget
        self.singleValuesAsArrays = singleValuesAsArrays
    }

    /// Whether `instance` conforms.
    static func conforms(
        _ instance: JSONValue, to schema: CompiledSchema, budget: Int, singleValuesAsArrays: Bool
    ) -> Bool {
        var check = SchemaCheck(budget: budget, singleValuesAsArrays: singleValuesAsArrays)
        let ok = check.check(schema, instance, 0, 0)
        return ok && !check.stopped && !check.exhausted
    }

    private mutating func take() -> Bool {
        if stopped { return false }
        if left <= 0 {
            exhausted = true
            return false
        }
        left -= 1
        return true
    }

    /// Records a failure; returns false.
    private mutating func miss() -> Bool {
        if tentative == 0 { stopped = true }
        return false
    }

    mutating func check(_ s: CompiledSchema, _ inst: JSONValue, _ at: Int, _ depth: Int) -> Bool {
        switch s.kind {
        case .accept: return true
        case .reject: return miss()
        case .object: break
        }
        guard take() else { return true }
        if singleValuesAsArrays, s.wrapsSingleValues, inst != .null {
            if case .array = inst {} else { return check(s, .array([inst]), at, depth) }
        }
        if depth > SchemaEvaluator.maxDepth { return miss() }
        let depth = depth + 1
        var ok = true
        for r in s.refs {
            if chain.contains(where: { $0.ref == r.id && $0.at == at }) {
                ok = miss()
                continue
            }
            guard let target = r.target else {
                ok = miss()
                continue
            }
            chain.append((r.id, at))
            if !check(target, inst, at, depth) { ok = false }
            chain.removeLast()
        }
        if s.refOnly { return ok }
        if !keywords(s, inst, at, depth) { ok = false }
        if !combinators(s, inst, at, depth) { ok = false }
        return ok
    }

    private mutating func keywords(_ s: CompiledSchema, _ inst: JSONValue, _ at: Int, _ depth: Int) -> Bool {
        var ok = true
        if let mask = s.typeMask, !CompiledSchema.hasType(inst, mask) { ok = miss() }
        if let values = s.enumValues, !values.contains(inst) { ok = miss() }
        if let c = s.constValue, c != inst { ok = miss() }
        switch inst {
        case .number(let n): if !Self.number(s, n) { ok = miss() }
        case .string(let str): if !Self.string(s, str) { ok = miss() }
        case .array(let a): if !array(s, a, at, depth) { ok = false }
        case .object(let o): if !object(s, o, at, depth) { ok = false }
        default: break
        }
        return ok
    }

    private mutating func combinators(_ s: CompiledSchema, _ inst: JSONValue, _ at: Int, _ depth: Int) -> Bool {
        var ok = true
        if let subs = s.allOf {
            for sub in subs where !check(sub, inst, at, depth) { ok = false }
        }
        if let subs = s.anyOf {
            tentative += 1
            var matched = false
            for sub in subs where check(sub, inst, at, depth) {
                matched = true
                break
            }
            tentative -= 1
            if !matched { ok = miss() }
        }
        if let subs = s.oneOf {
            tentative += 1
            var matching = 0
            for sub in subs where check(sub, inst, at, depth) { matching += 1 }
            tentative -= 1
            if matching != 1 { ok = miss() }
        }
        if let n = s.not {
            tentative += 1
            let matched = check(n, inst, at, depth)
            tentative -= 1
            if matched { ok = miss() }
        }
        if let cond = s.ifSchema {
            tentative += 1
            let holds = check(cond, inst, at, depth)
            tentative -= 1
            if holds {
                if let then = s.thenSchema, !check(then, inst, at, depth) { ok = false }
            } else if let els = s.elseSchema, !check(els, inst, at, depth) {
                ok = false
            }
        }
        return ok
    }

    private static func number(_ s: CompiledSchema, _ n: Double) -> Bool {
        if let m = s.minimum, s.minimumIsExclusive ? !(n > m) : n < m { return false }
        if let m = s.maximum, s.maximumIsExclusive ? !(n < m) : n > m { return false }
        if let m = s.exclusiveMinimum, !(n > m) { return false }
        if let m = s.exclusiveMaximum, !(n < m) { return false }
        if let m = s.multipleOf, !SchemaEvaluator.isMultiple(n, of: m) { return false }
        return true
    }

    private static func string(_ s: CompiledSchema, _ str: String) -> Bool {
        if s.minLength != nil || s.maxLength != nil {
            let count = Double(str.unicodeScalars.count)
            if let m = s.minLength, count < m { return false }
            if let m = s.maxLength, count > m { return false }
        }
        if let known = s.knownPattern {
            guard str.utf16.count <= JSONSchemaValidator.maxPatternInputLength, known.matches(str) else {
                return false
            }
        } else if let p = s.pattern {
            guard str.utf16.count <= JSONSchemaValidator.maxPatternInputLength,
                case .success(let re) = p.regex, SchemaEvaluator.matches(re, str)
            else { return false }
        }
        if let f = s.format, !f.check(str) { return false }
        return true
    }

    private mutating func array(_ s: CompiledSchema, _ a: [JSONValue], _ at: Int, _ depth: Int) -> Bool {
        var ok = true
        var prefixCount = 0
        if let prefix = s.prefixItems {
            for (i, sub) in prefix.enumerated() where i < a.count && !check(sub, a[i], at + 1, depth) { ok = false }
            prefixCount = prefix.count
        }
        switch s.items {
        case .none: break
        case .tuple(let tuple):
            for (i, sub) in tuple.enumerated() where i < a.count && !check(sub, a[i], at + 1, depth) { ok = false }
            if let extra = s.additionalItems, a.count > tuple.count {
                for i in tuple.count..<a.count where !check(extra, a[i], at + 1, depth) { ok = false }
            }
        case .single(let items):
            if a.count > prefixCount {
                for i in prefixCount..<a.count where !check(items, a[i], at + 1, depth) { ok = false }
            }
        }
        if let m = s.minItems, Double(a.count) < m { ok = miss() }
        if let m = s.maxItems, Double(a.count) > m { ok = miss() }
        if s.uniqueItems, a.count > 1, Set(a).count != a.count { ok = miss() }
        if let c = s.contains {
            tentative += 1
            var n = 0
            for v in a where check(c, v, at + 1, depth) { n += 1 }
            tentative -= 1
            if Double(n) < s.minContains { ok = miss() }
            if let maxC = s.maxContains, Double(n) > maxC { ok = miss() }
        }
        return ok
    }

    private mutating func object(_ s: CompiledSchema, _ o: [String: JSONValue], _ at: Int, _ depth: Int) -> Bool {
        var ok = true
        if s.patternProperties.isEmpty {
            // One look-up per member: its property schema, else `additionalProperties`.
            if s.properties != nil || s.additionalProperties != nil {
                for (k, v) in o {
                    if let sub = s.properties?[k] ?? s.additionalProperties, !check(sub, v, at + 1, depth) {
                        ok = false
                    }
                }
            }
        } else if !members(s, o, at, depth) {
            ok = false
        }
        for r in s.required where o[r] == nil { ok = miss() }
        if let pn = s.propertyNames {
            for k in o.keys where !check(pn, .string(k), at + 1, depth) { ok = false }
        }
        if let m = s.minProperties, Double(o.count) < m { ok = miss() }
        if let m = s.maxProperties, Double(o.count) > m { ok = miss() }
        for (k, dep) in s.dependencies where o[k] != nil {
            switch dep {
            case .names(let names): for n in names where o[n] == nil { ok = miss() }
            case .schema(let sub): if !check(sub, .object(o), at, depth) { ok = false }
            }
        }
        return ok
    }

    /// `properties`, `patternProperties` and `additionalProperties` when there are patterns.
    private mutating func members(_ s: CompiledSchema, _ o: [String: JSONValue], _ at: Int, _ depth: Int) -> Bool {
        var ok = true
        if let props = s.properties {
            for (k, v) in o {
                if let sub = props[k], !check(sub, v, at + 1, depth) { ok = false }
            }
        }
        var matchedByPattern: Set<String> = []
        for (regex, sub) in s.patternProperties {
            guard case .success(let re) = regex else {
                ok = miss()
                continue
            }
            for (k, v) in o {
                if k.utf16.count > JSONSchemaValidator.maxPatternInputLength {
                    ok = miss()
                } else if SchemaEvaluator.matches(re, k) {
                    matchedByPattern.insert(k)
                    if !check(sub, v, at + 1, depth) { ok = false }
                }
            }
        }
        if let ap = s.additionalProperties {
            for (k, v) in o where s.properties?[k] == nil && !matchedByPattern.contains(k) {
                if !check(ap, v, at + 1, depth) { ok = false }
            }
        }
        return ok
    }
}
