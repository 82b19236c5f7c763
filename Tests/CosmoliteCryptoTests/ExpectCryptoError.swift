// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import Testing

/// Expects `body` to throw a `CryptoError` with `code`, and returns the error for further checks.
@discardableResult
func expectCryptoError<R>(
    _ code: CryptoError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(CryptoError) -> R
) -> CryptoError? {
    do {
        let result = try body()
        Issue.record("expected CryptoError(\(code)), got a result: \(result)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.code == code, sourceLocation: sourceLocation)
        return error
    }
}
