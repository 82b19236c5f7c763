// SPDX-License-Identifier: Apache-2.0

/// A value stored as a bare JSON string: identifiers (``TenantID``, ``UserID``) and open sets of names
/// (``ProviderStatus``, ``ProviderAudience``, ``ActivityAction``).
///
/// Conformers declare `rawValue` and `init(rawValue:)`; string literals, `Codable` (as the bare string) and
/// `description` come from here.
public protocol StringValue: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible where RawValue == String {
    /// Wraps a string.
    init(rawValue: String)
}

extension StringValue {
    /// Wraps a literal.
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    /// Decodes the bare string.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the bare string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The string.
    public var description: String { rawValue }
}
