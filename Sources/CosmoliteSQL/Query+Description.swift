// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

// MARK: - Query description

/// The canonical text of a query, used for golden tests and logs.
///
/// The format is stable and parses back to an equal ``Query``:
/// - clauses in the order `SELECT [DISTINCT] [TOP n] ... [FROM ...] [JOIN ...]... [WHERE ...]
///   [GROUP BY ...] [ORDER BY ...] [OFFSET n LIMIT m]`, separated by single spaces, keywords in
///   uppercase;
/// - select items as `expr` or `expr AS alias`; every `ORDER BY` item with `ASC` or `DESC`;
/// - `FROM c`, `FROM c AS x`, `FROM c.path [AS x]` (the alias is written only when it differs from
///   the default one), `FROM x IN c.path`; `JOIN x IN c.path`, `JOIN (SELECT ...) AS x` (or without
///   `AS x` for a subquery JOIN that had no alias);
/// - expressions as described by ``Expression/description``.
extension Query: CustomStringConvertible {
    /// The canonical text of the query.
    public var description: String {
        var parts = ["SELECT"]
        if select.distinct {
            parts.append("DISTINCT")
        }
        if let top = select.top {
            parts.append("TOP \(top)")
        }
        switch select.projection {
        case .star:
            parts.append("*")
        case .value(let value):
            parts.append("VALUE \(value)")
        case .items(let items):
            let list = items.map { item in
                item.alias.map { "\(item.expression) AS \($0)" } ?? item.expression.description
            }
            parts.append(list.joined(separator: ", "))
        }
        if let from {
            parts.append("FROM " + from.canonicalText)
        }
        for join in joins {
            if case .arraySubquery(let subquery) = join.collection {
                // A subquery JOIN; a name starting with `$` is the one given to a JOIN without an alias.
                parts.append("JOIN (\(subquery.query))" + (join.alias.hasPrefix("$") ? "" : " AS \(join.alias)"))
            } else {
                parts.append(join.iterates ? "JOIN \(join.alias) IN \(join.collection)"
                                           : "JOIN \(join.collection) AS \(join.alias)")
            }
        }
        if let whereClause {
            parts.append("WHERE \(whereClause)")
        }
        if !groupBy.isEmpty {
            parts.append("GROUP BY " + groupBy.map(\.description).joined(separator: ", "))
        }
        if !orderBy.isEmpty {
            let items = orderBy.map { item in
                // Scoring functions take no direction (results come most relevant first); FullTextScore and RRF are
                // written after RANK, as they must be.
                if case .call(let name, _) = item.expression, BuiltinFunctions.scoring.contains(name) {
                    return (name == "VECTORDISTANCE" ? "" : "RANK ") + "\(item.expression)"
                }
                return "\(item.expression) \(item.descending ? "DESC" : "ASC")"
            }
            parts.append("ORDER BY " + items.joined(separator: ", "))
        }
        if let offset {
            parts.append("OFFSET \(offset)")
        }
        if let limit {
            parts.append("LIMIT \(limit)")
        }
        return parts.joined(separator: " ")
    }
}

extension FromClause {
    /// The text after `FROM`.
    fileprivate var canonicalText: String {
        if let subquery {
            return "(\(subquery.query))" + (alias == Self.subqueryAlias ? "" : " AS \(alias)")
        }
        if let iteration {
            return "\(alias) IN \(iteration)"
        }
        if let path {
            var defaultAlias: String?
            if case .property(_, let name) = path {
                defaultAlias = name
            }
            return alias == defaultAlias ? path.description : "\(path) AS \(alias)"
        }
        return alias == containerName ? containerName : "\(containerName) AS \(alias)"
    }
}

// MARK: - Expression description

/// The canonical text of an expression.
///
/// Every operator application is wrapped in parentheses, so the text shows the tree exactly:
/// `((c.a + 1) * 2)`, `(NOT c.done)`, `(-c.n)`, `(c.n BETWEEN 1 AND 5)`, `(c.n NOT IN (1, 2))`,
/// `(c.s LIKE "a%" ESCAPE "!")`, `(c.a ? 1 : 2)`. Literals are written as compact JSON (strings in
/// double quotes) or `undefined`; parameters as `@name`; properties as `c.name`, or `c["name"]`
/// when the name is not an identifier or is a reserved word; indexes as `c[0]`; calls as `NAME(a, b)`; constructors as
/// `[1, 2]` and `{"a": 1}`; subqueries as `EXISTS(SELECT ...)`, `ARRAY(SELECT ...)` and `(SELECT ...)`. A
/// number literal used as the base of `.name` or `[index]` is wrapped in parentheses. `!=` is written for
/// ``BinaryOperator/notEqual``.
extension Expression: CustomStringConvertible {
    /// The canonical text of the expression.
    public var description: String {
        _ = Self.writerReady
        var output = ""
        write(to: &output)
        return output
    }

    /// Runs the JSON writer once before the first recursive walk. Its first call instantiates type metadata,
    /// which takes tens of kilobytes of stack; done at the bottom of a tree at the height limit, on a small
    /// stack (512 KB), that would overflow.
    private static let writerReady: Void = { _ = JSONWriter.string(.string("")) }()

    private func write(to output: inout String) {
        switch self {
        case .literal(let value?):
            output += JSONWriter.string(value)
        case .literal(nil):
            output += "undefined"
        case .parameter(let name):
            output += "@" + name
        case .identifier(let name):
            output += name
        case .property(let base, let name):
            base.writeAsPostfixBase(to: &output)
            if Self.isIdentifier(name) {
                output += "." + name
            } else {
                output += "[" + JSONWriter.string(.string(name)) + "]"
            }
        case .index(let base, let index):
            base.writeAsPostfixBase(to: &output)
            output += "["
            index.write(to: &output)
            output += "]"
        case .unary(let op, let operand):
            output += op == .not ? "(NOT " : "(" + op.rawValue
            operand.write(to: &output)
            output += ")"
        case .binary(let op, let left, let right):
            output += "("
            left.write(to: &output)
            output += " \(op.rawValue) "
            right.write(to: &output)
            output += ")"
        case .between(let value, let low, let high, let negated):
            output += "("
            value.write(to: &output)
            output += negated ? " NOT BETWEEN " : " BETWEEN "
            low.write(to: &output)
            output += " AND "
            high.write(to: &output)
            output += ")"
        case .inList(let value, let list, let negated):
            output += "("
            value.write(to: &output)
            output += negated ? " NOT IN (" : " IN ("
            Self.write(list, to: &output)
            output += "))"
        case .like(let value, let pattern, let escape, let negated):
            output += "("
            value.write(to: &output)
            output += negated ? " NOT LIKE " : " LIKE "
            pattern.write(to: &output)
            if let escape {
                output += " ESCAPE "
                escape.write(to: &output)
            }
            output += ")"
        case .conditional(let condition, let then, let otherwise):
            output += "("
            condition.write(to: &output)
            output += " ? "
            then.write(to: &output)
            output += " : "
            otherwise.write(to: &output)
            output += ")"
        case .call(let name, let arguments):
            output += name + "("
            Self.write(arguments, to: &output)
            output += ")"
        case .array(let elements):
            output += "["
            Self.write(elements, to: &output)
            output += "]"
        case .object(let members):
            output += "{"
            for (position, member) in members.enumerated() {
                if position > 0 {
                    output += ", "
                }
                output += JSONWriter.string(.string(member.name)) + ": "
                member.value.write(to: &output)
            }
            output += "}"
        case .exists, .arraySubquery, .subquery:
            writeSubquery(to: &output)
        }
    }

    /// Writes a subquery expression. Kept out of ``write(to:)``, which recurses once per level of the tree and
    /// runs on small stacks at the height limit: its stack frame must not grow.
    @inline(never)
    private func writeSubquery(to output: inout String) {
        switch self {
        case .exists(let subquery): output += "EXISTS(" + subquery.query.description + ")"
        case .arraySubquery(let subquery): output += "ARRAY(" + subquery.query.description + ")"
        case .subquery(let subquery):
            let opening = switch subquery.reduction {
            case .single: "("
            case .first: "FIRST("
            case .last: "LAST("
            case .all: "ALL("
            }
            output += opening + subquery.query.description + ")"
        default: break
        }
    }

    /// Writes the expression as the base of `.name` or `[index]`, parenthesizing number literals
    /// (`(5).x`, `(-1)[0]`) which would otherwise read differently.
    private func writeAsPostfixBase(to output: inout String) {
        if case .literal(.number?) = self {
            output += "("
            write(to: &output)
            output += ")"
        } else {
            write(to: &output)
        }
    }

    private static func write(_ list: [Expression], to output: inout String) {
        for (position, element) in list.enumerated() {
            if position > 0 {
                output += ", "
            }
            element.write(to: &output)
        }
    }

    /// Whether `name` can be written after a `.`: `[A-Za-z_][A-Za-z0-9_]*` and not a word the lexer reads as a
    /// keyword (`TRUE` can, being a name; `true` cannot).
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, Lexer.isLetter(first) || first == UInt8(ascii: "_") else {
            return false
        }
        return name.utf8.allSatisfy(Lexer.isIdentifierByte) && Keyword(spelling: name) == nil
    }
}
