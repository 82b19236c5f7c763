// SPDX-License-Identifier: Apache-2.0

extension Expression {
    /// Calls `body` with this expression and each of its sub-expressions (not those inside subqueries).
    package func visit(_ body: (Expression) -> Void) {
        body(self)
        switch self {
        case .literal, .parameter, .identifier, .exists, .arraySubquery, .subquery:
            break
        case .property(let base, _):
            base.visit(body)
        case .index(let base, let index):
            base.visit(body)
            index.visit(body)
        case .unary(_, let operand):
            operand.visit(body)
        case .binary(_, let left, let right):
            left.visit(body)
            right.visit(body)
        case .between(let value, let low, let high, _):
            value.visit(body)
            low.visit(body)
            high.visit(body)
        case .inList(let value, let list, _):
            value.visit(body)
            for item in list { item.visit(body) }
        case .like(let value, let pattern, let escape, _):
            value.visit(body)
            pattern.visit(body)
            escape?.visit(body)
        case .conditional(let condition, let then, let otherwise):
            condition.visit(body)
            then.visit(body)
            otherwise.visit(body)
        case .call(_, let arguments), .array(let arguments):
            for argument in arguments { argument.visit(body) }
        case .object(let members):
            for member in members { member.value.visit(body) }
        }
    }
}
