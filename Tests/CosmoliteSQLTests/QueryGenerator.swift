// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteSQL
import CosmoliteTestSupport

// MARK: - QueryGenerator

/// Generates random valid queries together with the tree they must parse to, written in a random
/// but unambiguous style (keyword case, quotes, `<>` or `!=`, whitespace, optional `AS`).
struct QueryGenerator {
    var random: SeededGenerator

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    static let names = ["c", "x", "root", "t", "_ts", "Name1", "s_2"]
    static let propertyNames = ["a", "b", "name", "tags", "_id", "Value1", "arr"]
    static let oddNames = ["a-b", "value", "", "é", "with space", "quote\"'"]
    static let strings = ["", "a", "it's", "say \"hi\"", "back\\slash", "line\nbreak\ttab", "é😀", "\u{1}", "%_"]
    static let numbers: [Double] = [0, 1, 2.5, 1e21, 0.001, 123_456_789, .leastNonzeroMagnitude, 1.7976931348623157e308]
    static let functions = BuiltinFunctions.arity.keys.filter {
        !BuiltinFunctions.aggregates.contains($0) && !BuiltinFunctions.rankingOnly.contains($0)
    }.sorted()
    static let binaryOperators: [BinaryOperator] = [
        .add, .subtract, .multiply, .divide, .modulo, .concat, .equal, .notEqual, .less, .lessOrEqual, .greater,
        .greaterOrEqual, .and, .or, .coalesce, .bitwiseAnd, .bitwiseOr, .bitwiseXor, .shiftLeft, .shiftRight,
        .zeroFillShiftRight,
    ]

    mutating func chance(_ percent: Int) -> Bool {
        Int.random(in: 0..<100, using: &random) < percent
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &random)]
    }

    mutating func space() -> String {
        pick([" ", " ", " ", "  ", "\n", "\t", " \r\n "])
    }

    mutating func keyword(_ word: String) -> String {
        switch Int.random(in: 0..<3, using: &random) {
        case 0: word
        case 1: word.lowercased()
        default:
            String(
                word.enumerated().map { $0.offset.isMultiple(of: 2) ? Character($0.element.lowercased()) : $0.element })
        }
    }

    // MARK: Expressions

    mutating func leaf() -> Expression {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: .literal(.number(pick(Self.numbers) * (chance(30) ? -1 : 1)))
        case 1: .literal(.string(pick(Self.strings)))
        case 2: .literal(pick([.bool(true), .bool(false), .null, nil]))
        case 3: .parameter(pick(["p", "p1", "_x", "9"]))
        default: .identifier(pick(Self.names))
        }
    }

    mutating func expression(depth: Int, aggregate: Bool = false) -> Expression {
        if aggregate {
            return .call(name: pick(BuiltinFunctions.aggregates.sorted()), arguments: [expression(depth: depth)])
        }
        if depth == 0 || chance(25) {
            return leaf()
        }
        let next = depth - 1
        if depth > 1, chance(4) {
            let subquery = subquery(depth: next)
            let box = Subquery(subquery)
            return pick([Expression.exists(box), .arraySubquery(box), .subquery(box)])
        }
        switch Int.random(in: 0..<13, using: &random) {
        case 0:
            return .property(expression(depth: next), pick(Self.propertyNames))
        case 1:
            let member: Expression = chance(50) ? .literal(.string(pick(Self.oddNames))) : expression(depth: next)
            return .index(expression(depth: next), member)
        case 2:
            let operand = expression(depth: next)
            var op = pick([UnaryOperator.negate, .plus, .not, .bitwiseNot])
            if op == .negate, case .literal(.number?) = operand {
                op = .plus  // `-5` is read as the literal -5
            }
            return .unary(op, operand)
        case 3, 4:
            return .binary(pick(Self.binaryOperators), expression(depth: next), expression(depth: next))
        case 5:
            return .between(
                expression(depth: next), low: expression(depth: next), high: expression(depth: next),
                negated: chance(50))
        case 6:
            let list = (0..<Int.random(in: 1...3, using: &random)).map { _ in expression(depth: next) }
            return .inList(expression(depth: next), list, negated: chance(50))
        case 7:
            return .like(
                expression(depth: next), pattern: expression(depth: next),
                escape: chance(50) ? .literal(.string("!")) : nil, negated: chance(50))
        case 8:
            return .conditional(expression(depth: next), then: expression(depth: next), else: expression(depth: next))
        case 9, 10:
            let name = pick(Self.functions)
            let counts = BuiltinFunctions.arity[name] ?? 0...0
            var count = Int.random(
                in: counts.lowerBound...min(counts.upperBound, counts.lowerBound + 2), using: &random)
            if BuiltinFunctions.excludedCounts[name] == count { count += 1 }
            return .call(name: name, arguments: (0..<count).map { _ in expression(depth: next) })
        case 11:
            return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in expression(depth: next) })
        default:
            let members = (0..<Int.random(in: 0...3, using: &random)).map { _ in
                ObjectMember(name: pick(Self.propertyNames + Self.oddNames), value: expression(depth: next))
            }
            return .object(members)
        }
    }

    // MARK: Rendering

    /// Whether `expression` is written without surrounding parentheses when it is an operand.
    static func isLeaf(_ expression: Expression) -> Bool {
        switch expression {
        case .literal, .parameter, .identifier: true
        default: false
        }
    }

    mutating func operand(_ expression: Expression) -> String {
        Self.isLeaf(expression) ? render(expression) : "(" + space() + render(expression) + space() + ")"
    }

    mutating func postfixBase(_ expression: Expression) -> String {
        if case .literal(.number?) = expression {
            return "(" + render(expression) + ")"
        }
        return operand(expression)
    }

    mutating func string(_ value: String) -> String {
        let json = Expression.literal(.string(value)).description
        guard chance(50) else { return json }
        let body = json.dropFirst().dropLast().replacing("\\\"", with: "\"").replacing("'", with: "\\'")
        return "'" + body + "'"
    }

    mutating func list(_ items: [Expression]) -> String {
        var parts: [String] = []
        for item in items {
            parts.append(operand(item))
        }
        return parts.joined(separator: "," + space())
    }

    mutating func render(_ expression: Expression) -> String {
        switch expression {
        case .literal(.string(let value)?):
            return string(value)
        case .literal(.bool(let flag)?):
            return flag ? "true" : "false"   // literals are keywords in lower case only
        case .literal(.null?):
            return "null"
        case .literal(nil):
            return "undefined"
        case .literal, .parameter, .identifier:
            return expression.description
        case .property(let base, let name):
            return postfixBase(base) + "." + name
        case .index(let base, let member):
            return postfixBase(base) + "[" + space() + render(member) + space() + "]"
        case .unary(let op, let value):
            return (op == .not ? keyword("NOT") + " " : op.rawValue + (chance(50) ? "" : " ")) + operand(value)
        case .binary(let op, let left, let right):
            var symbol = op.rawValue
            if op == .notEqual, chance(50) {
                symbol = "<>"
            } else if op == .and || op == .or {
                symbol = keyword(symbol)
            }
            return operand(left) + space() + symbol + space() + operand(right)
        case .between(let value, let low, let high, let negated):
            let not = negated ? keyword("NOT") + " " : ""
            return operand(value) + " " + not + keyword("BETWEEN") + " " + operand(low) + " " + keyword("AND") + " "
                + operand(high)
        case .inList(let value, let items, let negated):
            let not = negated ? keyword("NOT") + " " : ""
            return operand(value) + " " + not + keyword("IN") + space() + "(" + list(items) + ")"
        case .like(let value, let pattern, let escape, let negated):
            let not = negated ? keyword("NOT") + " " : ""
            var text = operand(value) + " " + not + keyword("LIKE") + " " + operand(pattern)
            if let escape {
                text += " " + keyword("ESCAPE") + " " + operand(escape)
            }
            return text
        case .conditional(let condition, let then, let otherwise):
            return operand(condition) + space() + "?" + space() + operand(then) + space() + ":" + space()
                + operand(otherwise)
        case .call(let name, let arguments):
            let spelled = chance(50) ? name : name.lowercased()
            return spelled + "(" + list(arguments) + ")"
        case .array(let elements):
            return "[" + list(elements) + "]"
        case .object(let members):
            var parts: [String] = []
            for member in members {
                let isName = Self.propertyNames.contains(member.name)
                let name = isName && chance(50) ? member.name : string(member.name)
                parts.append(name + space() + ":" + space() + operand(member.value))
            }
            return "{" + parts.joined(separator: ", ") + "}"
        case .exists(let subquery):
            return keyword("EXISTS") + space() + "(" + render(subquery.query) + ")"
        case .arraySubquery(let subquery):
            return keyword("ARRAY") + "(" + space() + render(subquery.query) + space() + ")"
        case .subquery(let subquery):
            return "(" + render(subquery.query) + ")"
        }
    }

    // MARK: Subqueries

    /// A subquery of the shape `SELECT [DISTINCT] (VALUE e | e AS v) FROM a IN path [JOIN b IN path] [WHERE e]`,
    /// whose value may be an aggregate.
    mutating func subquery(depth: Int) -> Query {
        let root = pick(Self.names)
        let (iteration, _) = path(root: root)
        let value = expression(depth: depth, aggregate: chance(25))
        var query = Query(
            select: SelectClause(
                distinct: chance(15),
                projection: chance(60) ? .value(value) : .items([SelectItem(expression: value, alias: "v")])),
            from: FromClause(alias: pick(["t", "u"]), containerName: root, iteration: iteration))
        if chance(20) {
            query.joins.append(JoinClause(alias: "w", collection: path(root: "t").0))
        }
        if chance(60) {
            query.whereClause = expression(depth: depth)
        }
        return query
    }

    /// Renders a subquery made by ``subquery(depth:)``.
    mutating func render(_ subquery: Query) -> String {
        var text = keyword("SELECT") + " "
        if subquery.select.distinct {
            text += keyword("DISTINCT") + " "
        }
        switch subquery.select.projection {
        case .value(let value): text += keyword("VALUE") + " " + render(value)
        case .items(let items): text += render(items[0].expression) + " " + keyword("AS") + " v"
        case .star: text += "*"
        }
        if let from = subquery.from, let iteration = from.iteration {
            text += " " + keyword("FROM") + " " + from.alias + " " + keyword("IN") + " " + iteration.description
        }
        for join in subquery.joins {
            text += " " + keyword("JOIN") + " " + join.alias + " " + keyword("IN") + " " + join.collection.description
        }
        if let condition = subquery.whereClause {
            text += " " + keyword("WHERE") + " " + render(condition)
        }
        return text
    }

    // MARK: Queries

    mutating func count() -> Expression {
        chance(50) ? .literal(.number(Double(Int.random(in: 0...1000, using: &random)))) : .parameter("n")
    }

    mutating func path(root: String) -> (Expression, String) {
        var path = Expression.identifier(root)
        var text = root
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            if chance(70) {
                let name = pick(Self.propertyNames)
                path = .property(path, name)
                text += "." + name
            } else {
                let step: Expression = chance(50) ? .literal(.string(pick(Self.oddNames))) : .literal(0)
                path = .index(path, step)
                text += "[" + step.description + "]"
            }
        }
        return (path, text)
    }

    mutating func alias() -> String {
        pick(["x", "y", "doc", "_a"])
    }

    /// Returns query text and the query it must parse to.
    mutating func query() -> (text: String, query: Query) {
        var parts = [keyword("SELECT")]
        var query = Query(select: SelectClause(projection: .star))
        if chance(20) {
            query.select.distinct = true
            parts.append(keyword("DISTINCT"))
        }
        let paged = chance(20)
        if !paged, chance(20) {
            let top = count()
            query.select.top = top
            parts.append(keyword("TOP") + " " + top.description)
        }
        let hasFrom = chance(85)
        switch Int.random(in: 0..<3, using: &random) {
        case 0 where hasFrom:
            parts.append("*")
        case 1:
            let value = expression(depth: 3, aggregate: chance(15))
            query.select.projection = .value(value)
            parts.append(keyword("VALUE") + " " + render(value))
        default:
            var items: [SelectItem] = []
            var texts: [String] = []
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let item = SelectItem(
                    expression: expression(depth: 3, aggregate: chance(15)), alias: chance(50) ? alias() : nil)
                items.append(item)
                var text = render(item.expression)
                if let name = item.alias {
                    text += " " + (chance(50) ? keyword("AS") + " " : "") + name
                }
                texts.append(text)
            }
            query.select.projection = .items(items)
            parts.append(texts.joined(separator: "," + space()))
        }
        if hasFrom {
            parts.append(keyword("FROM"))
            let root = pick(Self.names)
            switch Int.random(in: 0..<3, using: &random) {
            case 0:
                let name = chance(50) ? alias() : nil
                query.from = FromClause(alias: name ?? root, containerName: root)
                parts.append(root + (name.map { " " + (chance(50) ? keyword("AS") + " " : "") + $0 } ?? ""))
            case 1:
                let (iteration, text) = path(root: root)
                let name = alias()
                query.from = FromClause(alias: name, containerName: root, iteration: iteration)
                parts.append(name + " " + keyword("IN") + " " + text)
            default:
                let (path, text) = path(root: root)
                var name = chance(50) ? alias() : nil
                if case .property(_, let last) = path, name == nil {
                    name = nil
                    query.from = FromClause(alias: last, containerName: root, path: path)
                    parts.append(text)
                } else {
                    let chosen = name ?? alias()
                    name = chosen
                    let isPath = path != .identifier(root)
                    query.from = FromClause(alias: chosen, containerName: root, path: isPath ? path : nil)
                    parts.append(text + " " + (chance(50) ? keyword("AS") + " " : "") + chosen)
                }
            }
            // SELECT * needs exactly one alias in FROM, so it has no JOIN.
            let joins = Int.random(in: 0...2, using: &random)
            for _ in 0..<(query.select.projection == .star ? 0 : joins) {
                if chance(15) {
                    // A subquery JOIN, with or without an alias (`$n` for the n-th JOIN).
                    let subquery = subquery(depth: 2)
                    let name = chance(50) ? alias() : nil
                    query.joins.append(
                        JoinClause(alias: name ?? "$\(query.joins.count + 1)", collection: .arraySubquery(Subquery(subquery))))
                    parts.append(keyword("JOIN") + " (" + render(subquery) + ")" + (name.map { " " + $0 } ?? ""))
                    continue
                }
                let name = alias()
                let (collection, text) = path(root: pick(Self.names))
                query.joins.append(JoinClause(alias: name, collection: collection))
                parts.append(keyword("JOIN") + " " + name + " " + keyword("IN") + " " + text)
            }
        }
        if chance(60) {
            let condition = expression(depth: 4)
            query.whereClause = condition
            parts.append(keyword("WHERE") + " " + render(condition))
        }
        // GROUP BY goes with neither SELECT * nor ORDER BY; each key refers to a property and holds no subquery.
        if chance(20), query.select.projection != .star {
            func groupable(_ key: Expression) -> Bool {
                var property = false, subquery = false
                key.visit { e in
                    switch e {
                    case .identifier: property = true
                    case .exists, .arraySubquery, .subquery: subquery = true
                    default: break
                    }
                }
                return property && !subquery
            }
            let keys = (0..<Int.random(in: 1...2, using: &random)).map { _ in
                var key = expression(depth: 2)
                while !groupable(key) { key = expression(depth: 2) }
                return key
            }
            query.groupBy = keys
            var texts: [String] = []
            for key in keys {
                texts.append(render(key))
            }
            parts.append(keyword("GROUP") + " " + keyword("BY") + " " + texts.joined(separator: ", "))
        }
        if chance(40), query.groupBy.isEmpty {
            var texts: [String] = []
            for _ in 0..<Int.random(in: 1...2, using: &random) {
                let key = expression(depth: 2)
                // VectorDistance takes no direction.
                let ranked = if case .call("VECTORDISTANCE", _) = key { true } else { false }
                let item = OrderByItem(expression: key, descending: !ranked && chance(50))
                query.orderBy.append(item)
                let direction = item.descending ? " " + keyword("DESC") : (!ranked && chance(50) ? " " + keyword("ASC") : "")
                texts.append(render(item.expression) + direction)
            }
            parts.append(keyword("ORDER") + " " + keyword("BY") + " " + texts.joined(separator: ", "))
        }
        if paged {
            let offset = count()
            let limit = count()
            query.offset = offset
            query.limit = limit
            parts.append(
                keyword("OFFSET") + " " + offset.description + " " + keyword("LIMIT") + " " + limit.description)
        }
        var text = ""
        for part in parts {
            text += (text.isEmpty ? "" : space()) + part
        }
        return (text, query)
    }
}
